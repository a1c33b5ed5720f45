import { Logger } from '@nestjs/common';
import type { RedisClient } from '../platform/redis';

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

/** INCRBY + PEXPIRE on the window's first hits + PTTL in one atomic round trip. */
const INCREMENT_SCRIPT = `
local hits = redis.call('INCRBY', KEYS[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {hits, ttl}`;

interface Waiter {
  resolve(count: WindowCount): void;
  reject(error: unknown): void;
}

/**
 * Shared counters in Redis. Requests of one key that arrive while its
 * previous increment is still on the wire are counted together in the next
 * single INCRBY, and each gets its own position in the window: exactly the
 * numbers one call per request would give, with a fraction of the round
 * trips when a key is busy (which is when the limiter's cost matters).
 */
export class RedisRateLimitStore implements RateLimitStore {
  private sha: string | undefined;
  private readonly queued = new Map<string, Waiter[]>();
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  increment(key: string, windowMs: number): Promise<WindowCount> {
    return new Promise((resolve, reject) => {
      const waiters = this.queued.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.queued.set(key, [{ resolve, reject }]);
      if (!this.inFlight.has(key)) void this.flush(key, windowMs);
    });
  }

  private async flush(key: string, windowMs: number): Promise<void> {
    const waiters = this.queued.get(key);
    if (!waiters?.length) return;
    this.queued.delete(key);
    this.inFlight.add(key);
    try {
      const { hits, resetMs } = await this.incrementBy(key, waiters.length, windowMs);
      const first = hits - waiters.length + 1;
      waiters.forEach((w, i) => w.resolve({ hits: first + i, resetMs }));
    } catch (error) {
      for (const w of waiters) w.reject(error);
    } finally {
      this.inFlight.delete(key);
      if (this.queued.has(key)) void this.flush(key, windowMs);
    }
  }

  private async incrementBy(key: string, by: number, windowMs: number): Promise<WindowCount> {
    const options = {
      keys: [`${this.prefix}ratelimit:${key}`],
      arguments: [String(windowMs), String(by)],
    };
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
