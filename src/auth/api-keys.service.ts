import {
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
  BeforeApplicationShutdown,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, IsNull, QueryFailedError, Repository } from 'typeorm';
import {
  ApiKeyScope,
  digestsEqual,
  displayPrefix,
  generateApiKey,
  hashApiKey,
  API_KEY_PATTERN,
  normalisePrefix,
  scopesFor,
} from './api-key-format';
import { ApiKey } from './api-key.entity';

/** What a request or socket carries once its key is verified; never the key itself. */
export interface VerifiedKey {
  id: number;
  prefix: string;
  name: string;
  scopes: readonly ApiKeyScope[];
  rateLimitPerMinute: number | null;
  maxConnections: number | null;
}

export interface CreateKeyInput {
  name: string;
  scope: ApiKeyScope;
  rateLimitPerMinute?: number | null;
  maxConnections?: number | null;
}

/**
 * A verified key is trusted this long in this process. It bounds how long a
 * key revoked on another instance keeps working here (the contract is 5 s)
 * without needing pub/sub, so it holds in embedded mode too.
 */
export const VERIFY_CACHE_MS = 2_000;
/** last_used_at is written at most this often per key, in one batched UPDATE. */
export const TOUCH_FLUSH_MS = 60_000;
/** Bounds the cache when clients send many different bad keys. */
const MAX_CACHED = 10_000;
const UNIQUE_VIOLATION = '23505';

/** Stores, verifies and revokes API keys. Only hashes and display prefixes reach the database. */
@Injectable()
export class ApiKeysService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('ApiKeys');
  private readonly verified = new Map<string, { key: VerifiedKey | null; until: number }>();
  private readonly touched = new Set<number>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    private readonly dataSource: DataSource,
  ) {}

  /** Creates a key; the plaintext is returned here once and exists nowhere else. */
  async create(input: CreateKeyInput, repo = this.keys): Promise<{ key: string; record: ApiKey }> {
    for (let attempt = 0; ; attempt += 1) {
      const key = generateApiKey();
      try {
        const record = await repo.save(
          repo.create({
            name: input.name,
            prefix: displayPrefix(key),
            hash: hashApiKey(key),
            scopes: scopesFor(input.scope),
            rateLimitPerMinute: input.rateLimitPerMinute ?? null,
            maxConnections: input.maxConnections ?? null,
          }),
        );
        return { key, record };
      } catch (error) {
        // A display-prefix collision (1 in 2e14 per pair of keys): draw another key.
        const code = (error as QueryFailedError & { driverError?: { code?: string } }).driverError
          ?.code;
        if (code !== UNIQUE_VIOLATION || attempt >= 3) throw error;
      }
    }
  }

  list(): Promise<ApiKey[]> {
    return this.keys.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Revokes by display prefix (`AbCd1234` or `fxp_AbCd1234`); revoking twice is an error naming the time. */
  async revoke(prefixInput: string): Promise<ApiKey> {
    const prefix = normalisePrefix(prefixInput);
    const record = await this.keys.findOne({ where: { prefix } });
    if (!record) throw new NotFoundException(`no API key with prefix "${prefix}"`);
    if (record.revokedAt) {
      throw new ConflictException(
        `API key fxp_${prefix}… was already revoked at ${record.revokedAt.toISOString()}`,
      );
    }
    await this.keys.update({ id: record.id, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
    // This instance stops accepting it at once; the others within VERIFY_CACHE_MS.
    this.verified.clear();
    return (await this.keys.findOne({ where: { id: record.id } })) ?? record;
  }

  /**
   * The key a token belongs to, or null (unknown, malformed or revoked).
   * Looked up by its display prefix, then the stored hash is compared in
   * constant time, so response timing says nothing about the hash.
   */
  async verify(token: string): Promise<VerifiedKey | null> {
    if (!API_KEY_PATTERN.test(token)) return null;
    const hash = hashApiKey(token);
    const now = Date.now();
    const cached = this.verified.get(hash);
    if (cached && cached.until > now) return cached.key;
    const row = await this.keys.findOne({ where: { prefix: displayPrefix(token) } });
    const key =
      row && !row.revokedAt && digestsEqual(row.hash, hash)
        ? {
            id: row.id,
            prefix: row.prefix,
            name: row.name,
            scopes: row.scopes,
            rateLimitPerMinute: row.rateLimitPerMinute,
            maxConnections: row.maxConnections,
          }
        : null;
    if (this.verified.size >= MAX_CACHED) this.verified.clear();
    this.verified.set(hash, { key, until: now + VERIFY_CACHE_MS });
    return key;
  }

  /** Of these key ids, the ones revoked or deleted since (for closing their sockets). */
  async revokedAmong(ids: readonly number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const live = await this.keys.find({
      select: { id: true },
      where: { id: In([...ids]), revokedAt: IsNull() },
    });
    const alive = new Set(live.map((k) => k.id));
    return new Set(ids.filter((id) => !alive.has(id)));
  }

  /** Marks a key used; written in one UPDATE per minute for all keys, not per request. */
  touch(id: number): void {
    this.touched.add(id);
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => void this.flushTouches(), TOUCH_FLUSH_MS);
    this.flushTimer.unref();
  }

  async flushTouches(): Promise<void> {
    this.flushTimer = undefined;
    const ids = [...this.touched];
    this.touched.clear();
    if (ids.length === 0) return;
    try {
      await this.keys.update({ id: In(ids) }, { lastUsedAt: () => 'now()' });
    } catch (error) {
      // Only bookkeeping: the next flush will mark them again if they are still used.
      this.logger.warn(`could not record last_used_at: ${(error as Error).message}`);
    }
  }

  /**
   * On a database with no key at all, creates one admin key and returns it
   * (null otherwise). A transaction-level advisory lock makes two instances
   * booting together create exactly one.
   */
  async createFirstKeyIfNone(): Promise<{ key: string; record: ApiKey } | null> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('fxp:first-api-key'))`);
      const repo = manager.getRepository(ApiKey);
      if ((await repo.count()) > 0) return null;
      return this.create({ name: 'first admin key', scope: 'admin' }, repo);
    });
  }

  /** Before the pool closes: the last minute's last_used_at marks are not lost. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    await this.flushTouches();
  }
}
