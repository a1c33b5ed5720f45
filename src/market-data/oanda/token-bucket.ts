import { sleep } from '../../platform/time';

/**
 * Client-side rate limiter. Callers reserve a token and wait until it is
 * theirs; reservations beyond the bucket drive the balance negative, which
 * queues them in arrival order at exactly `ratePerSecond`. A small capacity
 * keeps bursts short: with 100/s and capacity 10, no one-second window sees
 * more than 110 requests, under OANDA's 120.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError('ratePerSecond must be > 0');
    if (!(capacity >= 1)) throw new RangeError('capacity must be >= 1');
    this.tokens = capacity;
    this.updatedAt = now();
  }

  /** Reserves one token; returns how long the caller must wait for it (ms). */
  reserve(): number {
    const now = this.now();
    this.tokens = Math.min(
      this.capacity,
      this.tokens + ((now - this.updatedAt) * this.ratePerSecond) / 1000,
    );
    this.updatedAt = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.ratePerSecond;
  }

  /** Waits for a token. Resolves false if the signal aborted first (the token is then lost, harmlessly). */
  async acquire(signal?: AbortSignal): Promise<boolean> {
    const wait = this.reserve();
    return wait === 0 ? !signal?.aborted : sleep(wait, signal);
  }
}
