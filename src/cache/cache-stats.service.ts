import { Inject, Injectable } from '@nestjs/common';
import { AppCacheService, CacheCounters } from './app-cache.service';
import { CACHE_KINDS, CacheKeys, CacheKind } from './cache-keys';
import { REDIS_CLIENT, type RedisClient } from '../platform/redis';
import { withTimeout } from '../platform/time';

export interface RedisServerStats {
  /** `in-process`: no REDIS_URL, the cache is this process' memory. */
  status: 'up' | 'down' | 'in-process';
  used_memory_bytes: number | null;
  used_memory_human: string | null;
  connected_clients: number | null;
  error?: string;
}

export interface KindStats extends CacheCounters {
  keys: number | null;
  hit_ratio: number | null;
}

export interface CacheStats {
  redis: RedisServerStats;
  kinds: Record<CacheKind, KindStats>;
  hits: number;
  misses: number;
  errors: number;
  hit_ratio: number | null;
  since: string;
  timestamp: string;
}

/** SCAN page size: big enough to be quick, small enough never to block Redis noticeably. */
const SCAN_COUNT = 500;
const STATS_TIMEOUT_MS = 2_000;

/** Parses `INFO` text (`field:value` lines) into a map. */
export function parseRedisInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  return fields;
}

const ratio = (c: CacheCounters): number | null => {
  const lookups = c.hits + c.misses + c.errors;
  return lookups ? Math.round((c.hits / lookups) * 10_000) / 10_000 : null;
};

/**
 * What the cache holds and how well it works. Keys are counted with SCAN +
 * MATCH per kind (never KEYS, which blocks Redis on a big keyspace), so the
 * counts cover only this service's keys even on a shared Redis.
 */
@Injectable()
export class CacheStatsService {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient | null,
    private readonly keys: CacheKeys,
    private readonly cache: AppCacheService,
  ) {}

  async stats(): Promise<CacheStats> {
    const counters = this.cache.stats();
    const [redis, keyCounts] = await Promise.all([this.server(), this.countKeys()]);
    const total: CacheCounters = { hits: 0, misses: 0, errors: 0 };
    const kinds = {} as Record<CacheKind, KindStats>;
    for (const kind of CACHE_KINDS) {
      const c = counters[kind] ?? { hits: 0, misses: 0, errors: 0 };
      total.hits += c.hits;
      total.misses += c.misses;
      total.errors += c.errors;
      kinds[kind] = { keys: keyCounts?.[kind] ?? null, ...c, hit_ratio: ratio(c) };
    }
    return {
      redis,
      kinds,
      ...total,
      hit_ratio: ratio(total),
      since: this.cache.since.toISOString(),
      timestamp: new Date().toISOString(),
    };
  }

  /** Deletes every key of this service's kinds (under REDIS_KEY_PREFIX); returns how many per kind. */
  async clear(): Promise<Record<CacheKind, number>> {
    const local = await this.localKeysByKind();
    if (local) {
      const deleted = {} as Record<CacheKind, number>;
      for (const [kind, keys] of Object.entries(local) as [CacheKind, string[]][]) {
        deleted[kind] = 0;
        for (const key of keys) if (await this.cache.del(key)) deleted[kind] += 1;
      }
      return deleted;
    }
    const redis = this.requireReady();
    const deleted = {} as Record<CacheKind, number>;
    for (const [kind, pattern] of Object.entries(this.keys.kinds()) as [CacheKind, string][]) {
      deleted[kind] = 0;
      for await (const batch of redis.scanIterator({ MATCH: pattern, COUNT: SCAN_COUNT })) {
        // UNLINK frees memory in the background, so clearing never stalls Redis.
        if (batch.length) deleted[kind] += await redis.unlink(batch);
      }
    }
    return deleted;
  }

  /** The in-memory store's keys by kind (glob patterns as Redis MATCH reads them); null with Redis. */
  private async localKeysByKind(): Promise<Record<CacheKind, string[]> | null> {
    const keys = await this.cache.localKeys();
    if (!keys) return null;
    const byKind = {} as Record<CacheKind, string[]>;
    for (const [kind, pattern] of Object.entries(this.keys.kinds()) as [CacheKind, string][]) {
      const glob = new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      );
      byKind[kind] = keys.filter((key) => glob.test(key));
    }
    return byKind;
  }

  private async server(): Promise<RedisServerStats> {
    if (!this.redis)
      return {
        status: 'in-process',
        used_memory_bytes: null,
        used_memory_human: null,
        connected_clients: null,
      };
    try {
      const redis = this.requireReady();
      const info = parseRedisInfo(await withTimeout(redis.info(), STATS_TIMEOUT_MS, 'Redis INFO'));
      return {
        status: 'up',
        used_memory_bytes: Number(info.get('used_memory') ?? NaN) || null,
        used_memory_human: info.get('used_memory_human') ?? null,
        connected_clients: Number(info.get('connected_clients') ?? NaN) || null,
      };
    } catch (error) {
      return {
        status: 'down',
        used_memory_bytes: null,
        used_memory_human: null,
        connected_clients: null,
        error: (error as Error).message,
      };
    }
  }

  private async countKeys(): Promise<Record<CacheKind, number> | null> {
    try {
      const local = await this.localKeysByKind();
      if (local)
        return Object.fromEntries(
          Object.entries(local).map(([kind, keys]) => [kind, keys.length]),
        ) as Record<CacheKind, number>;
      return await withTimeout(
        this.scanCounts(this.requireReady()),
        STATS_TIMEOUT_MS,
        'Redis SCAN',
      );
    } catch {
      return null;
    }
  }

  private async scanCounts(redis: RedisClient): Promise<Record<CacheKind, number>> {
    const counts = {} as Record<CacheKind, number>;
    for (const [kind, pattern] of Object.entries(this.keys.kinds()) as [CacheKind, string][]) {
      counts[kind] = 0;
      for await (const batch of redis.scanIterator({ MATCH: pattern, COUNT: SCAN_COUNT }))
        counts[kind] += batch.length;
    }
    return counts;
  }

  private requireReady(): RedisClient {
    if (!this.redis?.isReady) throw new Error('Redis is not connected');
    return this.redis;
  }
}
