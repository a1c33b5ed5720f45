import { backoffDelay, parseRetryAfter, retryDelay } from './retry-policy';
import { TokenBucket } from './token-bucket';

describe('retry policy', () => {
  const options = { baseDelayMs: 500, maxDelayMs: 30_000, random: () => 0.999999 };

  it('should grow the jitter cap exponentially up to the maximum', () => {
    expect(backoffDelay(1, options)).toBe(499);
    expect(backoffDelay(2, options)).toBe(999);
    expect(backoffDelay(4, options)).toBe(3999);
    expect(backoffDelay(20, options)).toBe(29_999);
    expect(backoffDelay(3, { ...options, random: () => 0 })).toBe(0);
  });

  it('should read Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2015-10-21T07:28:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('should honour Retry-After over the backoff but cap it', () => {
    expect(retryDelay(1, 1500, options)).toBe(1500);
    expect(retryDelay(1, 120_000, options)).toBe(30_000);
    expect(retryDelay(2, undefined, options)).toBe(999);
  });
});

describe(TokenBucket.name, () => {
  it('should allow a burst of `capacity`, then space reservations at the rate', () => {
    let now = 0;
    const bucket = new TokenBucket(100, 10, () => now);
    const waits = Array.from({ length: 12 }, () => bucket.reserve());
    expect(waits.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(waits[10]).toBeCloseTo(10, 6);
    expect(waits[11]).toBeCloseTo(20, 6);
    now = 1000;
    // A second later the debt is repaid and the bucket is full again (never above capacity).
    expect(Array.from({ length: 11 }, () => bucket.reserve()).filter((w) => w === 0)).toHaveLength(
      10,
    );
  });

  it('should keep any one-second window under the 120 requests OANDA allows at 100/s', () => {
    const bucket = new TokenBucket(100, 10, () => 0);
    const starts = Array.from({ length: 500 }, () => bucket.reserve());
    for (const start of starts) {
      expect(starts.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(110);
    }
  });

  it('should wait for its token and give up when aborted', async () => {
    const bucket = new TokenBucket(2, 1);
    expect(await bucket.acquire()).toBe(true);
    expect(await bucket.acquire(AbortSignal.abort())).toBe(false);
  });
});
