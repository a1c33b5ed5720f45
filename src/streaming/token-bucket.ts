/**
 * A token bucket: `ratePerSecond` tokens refill continuously up to `burst`;
 * each message takes one. Lets a client send short bursts (a page load firing
 * subscribe + request_all_prices + get_subscriptions) while capping its
 * sustained rate. Pure and tiny, because there is one per connected socket.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst = ratePerSecond,
    now = Date.now(),
  ) {
    if (!(ratePerSecond > 0) || !(burst >= 1))
      throw new Error(
        `TokenBucket needs ratePerSecond > 0 and burst >= 1 (got ${ratePerSecond}, ${burst})`,
      );
    this.tokens = burst;
    this.last = now;
  }

  /** Takes a token if one is available. */
  take(now = Date.now()): boolean {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.ratePerSecond);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
