import { Logger } from '@nestjs/common';
import type { RedisClient } from '../cache/redis-client';

/** One fixed window of a counter: hits so far and ms until the window resets. */
export interface WindowCount {
  hits: number;
  resetMs: number;
}

/**
 * Counters for the REST limiter, shared by every instance (Redis) or local to
 * one (memory, embedded mode). The shape follows @nestjs/throttler's
 * ThrottlerStorage.increment (count + time to expire), see the README.
 */
export interface RateLimitStore {
  increment(key: string, windowMs: number): Promise<WindowCount>;
}

export const RATE_LIMIT_STORE = Symbol('RATE_LIMIT_STORE');

/** INCR + PEXPIRE on the first hit + PTTL in one atomic round trip. */
const INCREMENT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {hits, ttl}`;

export class RedisRateLimitStore implements RateLimitStore {
  private sha: string | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  async increment(key: string, windowMs: number): Promise<WindowCount> {
    const options = { keys: [`${this.prefix}ratelimit:${key}`], arguments: [String(windowMs)] };
    let reply: unknown;
    try {
      this.sha ??= await this.redis.scriptLoad(INCREMENT_SCRIPT);
      reply = await this.redis.evalSha(this.sha, options);
    } catch (error) {
      // After a Redis restart the script cache is empty: load it again.
      if (!(error as Error).message.includes('NOSCRIPT')) throw error;
      this.sha = undefined;
      reply = await this.redis.eval(INCREMENT_SCRIPT, options);
    }
    const [hits, resetMs] = reply as [number, number];
    return { hits: Number(hits), resetMs: Number(resetMs) };
  }
}

/** One process's counters (embedded mode: one instance, so nothing to share). */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, { hits: number; resetAt: number }>();
  private lastSweep = Date.now();

  constructor(private readonly now: () => number = Date.now) {}

  increment(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.now();
    this.sweep(now, windowMs);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { hits: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.hits += 1;
    return Promise.resolve({ hits: window.hits, resetMs: window.resetAt - now });
  }

  /** Drops finished windows once per window length, so idle clients do not accumulate. */
  private sweep(now: number, windowMs: number): void {
    if (now - this.lastSweep < windowMs) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}

/** Redis when the app has one (REDIS_URL set), memory otherwise: the one place this is decided. */
export function createRateLimitStore(
  redisUrl: string | undefined,
  redis: RedisClient | undefined,
  prefix: string,
): RateLimitStore {
  if (redisUrl && redis) return new RedisRateLimitStore(redis, `${prefix}auth:`);
  new Logger('RateLimit').log('no Redis configured: rate-limit counters are kept in memory');
  return new MemoryRateLimitStore();
}
