import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { PrometheusService } from '../platform/observability';
import { CACHE_REDIS_CLIENT } from '../platform/redis';
import { CacheKeys } from './cache-keys';
import type { RedisClient } from '../platform/redis';
import { SingleFlight } from './single-flight';
import { withTimeout } from '../platform/time';

/**
 * How long one cache operation may take before the caller goes to the
 * database instead. Redis answers in well under a millisecond on a LAN; a
 * reply slower than this means it is overloaded or hung, and a cache that
 * makes the API slower than the database is worse than no cache.
 */
export const CACHE_OP_TIMEOUT_MS = 300;

export interface CacheCounters {
  hits: number;
  misses: number;
  /** Lookups that could not reach Redis (down, not ready, timed out). */
  errors: number;
}

/**
 * Cache-aside over cache-manager (Keyv Redis store). Redis being down, slow or
 * flushed never fails a read: the lookup is skipped (client not ready) or cut
 * short (timeout) and the caller's loader answers from the database. Values go
 * through JSON, so cache plain data (dates as ISO strings).
 */
@Injectable()
export class AppCacheService {
  private readonly logger = new Logger(AppCacheService.name);
  private readonly flights = new SingleFlight();
  private readonly counters = new Map<string, CacheCounters>();
  readonly since = new Date();

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(CACHE_REDIS_CLIENT) private readonly client: RedisClient | null,
    private readonly keys: CacheKeys,
    private readonly metrics: PrometheusService,
  ) {}

  /** True when the cache's Redis connection is up (always for the in-memory store); while false every operation is skipped. */
  get available(): boolean {
    return this.client?.isReady ?? true;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const kind = this.keys.kindOf(key);
    if (!this.available) {
      this.count(kind, 'error');
      return undefined;
    }
    try {
      const value = await withTimeout(this.cache.get<T>(key), CACHE_OP_TIMEOUT_MS, `get ${key}`);
      const hit = value !== undefined && value !== null;
      this.count(kind, hit ? 'hit' : 'miss');
      return hit ? value : undefined;
    } catch (error) {
      this.count(kind, 'error');
      this.logger.debug(`get ${key} failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<boolean> {
    if (!this.available) return false;
    try {
      await withTimeout(
        this.cache.set(key, value, ttlSeconds * 1000),
        CACHE_OP_TIMEOUT_MS,
        `set ${key}`,
      );
      return true;
    } catch (error) {
      this.logger.debug(`set ${key} failed: ${(error as Error).message}`);
      return false;
    }
  }

  async del(key: string): Promise<boolean> {
    if (!this.available) return false;
    try {
      await withTimeout(this.cache.del(key), CACHE_OP_TIMEOUT_MS, `del ${key}`);
      return true;
    } catch (error) {
      this.logger.debug(`del ${key} failed: ${(error as Error).message}`);
      return false;
    }
  }

  /**
   * Cache first, loader on a miss (and refill). Concurrent calls for one key
   * share a single lookup + load. A null/undefined load is not cached, so a
   * key whose data does not exist yet is retried next time.
   */
  getOrLoad<T>(key: string, ttlSeconds: number, loader: () => Promise<T>): Promise<T> {
    return this.flights.run(key, async () => {
      const cached = await this.get<T>(key);
      if (cached !== undefined) return cached;
      const value = await loader();
      if (value !== undefined && value !== null) await this.set(key, value, ttlSeconds);
      return value;
    });
  }

  /**
   * The keys of the in-memory store (embedded mode, REDIS_URL unset); null
   * when the cache is Redis, whose keys are counted with SCAN instead.
   */
  async localKeys(): Promise<string[] | null> {
    if (this.client) return null;
    const keys: string[] = [];
    for (const store of this.cache.stores) {
      if (!store.iterator) continue;
      for await (const [key] of store.iterator(undefined)) keys.push(String(key));
    }
    return keys;
  }

  /** Hits, misses and errors since start, by key kind. */
  stats(): Record<string, CacheCounters> {
    return Object.fromEntries([...this.counters].map(([kind, c]) => [kind, { ...c }]));
  }

  private count(kind: string, result: 'hit' | 'miss' | 'error'): void {
    let c = this.counters.get(kind);
    if (!c) {
      c = { hits: 0, misses: 0, errors: 0 };
      this.counters.set(kind, c);
    }
    if (result === 'hit') c.hits += 1;
    else if (result === 'miss') c.misses += 1;
    else c.errors += 1;
    this.metrics.recordCache(kind, result);
  }
}
