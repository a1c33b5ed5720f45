import {
  RESTART_BASE_MS,
  RESTART_MAX_MS,
  RESTART_STABLE_MS,
  RestartBackoff,
} from './restart-backoff';

describe('RestartBackoff', () => {
  it('should double the delay while the worker keeps dying soon after it starts, up to the cap', () => {
    const backoff = new RestartBackoff();
    const delays = Array.from({ length: 8 }, () => backoff.next(500));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(delays[0]).toBe(RESTART_BASE_MS);
    expect(Math.max(...delays)).toBe(RESTART_MAX_MS);
  });

  it('should start over once a worker served for a minute before it died', () => {
    const backoff = new RestartBackoff();
    backoff.next(100);
    backoff.next(100);
    expect(backoff.next(100)).toBe(4_000);
    expect(backoff.next(RESTART_STABLE_MS)).toBe(RESTART_BASE_MS);
    expect(backoff.next(RESTART_STABLE_MS - 1)).toBe(2 * RESTART_BASE_MS);
  });

  it('should stay at the cap however long a crash loop lasts', () => {
    const backoff = new RestartBackoff();
    let last = 0;
    for (let i = 0; i < 2_000; i += 1) last = backoff.next(0);
    expect(last).toBe(RESTART_MAX_MS);
  });
});
