import { TokenBucket } from './token-bucket';

describe(TokenBucket.name, () => {
  it('should allow a burst up to its size, then refuse', () => {
    const bucket = new TokenBucket(5, 5, 0);
    const taken = Array.from({ length: 8 }, () => bucket.take(0));
    expect(taken).toEqual([true, true, true, true, true, false, false, false]);
  });

  it('should refill at the configured rate', () => {
    const bucket = new TokenBucket(10, 10, 0);
    for (let i = 0; i < 10; i += 1) bucket.take(0);
    expect(bucket.take(0)).toBe(false);
    expect(bucket.take(100)).toBe(true); // 100 ms at 10/s = one token
    expect(bucket.take(100)).toBe(false);
  });

  it('should never hold more than its burst, however long it idles', () => {
    const bucket = new TokenBucket(2, 3, 0);
    const taken = Array.from({ length: 5 }, () => bucket.take(60_000));
    expect(taken.filter(Boolean)).toHaveLength(3);
  });

  it('should not mint tokens when the clock goes backwards', () => {
    const bucket = new TokenBucket(1, 1, 1_000);
    expect(bucket.take(1_000)).toBe(true);
    expect(bucket.take(500)).toBe(false);
  });

  it('should reject a rate or burst that could never admit a message', () => {
    expect(() => new TokenBucket(0)).toThrow(/ratePerSecond > 0/);
    expect(() => new TokenBucket(5, 0.5)).toThrow(/burst >= 1/);
  });
});
