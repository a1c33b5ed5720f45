/** The longest wait between two attempts, whatever the base: an hour. */
export const MAX_RETRY_DELAY_MS = 3_600_000;

/**
 * Delay before attempt `attempt + 1` after `attempt` failures: exponential
 * (base x 2^(attempt-1), capped) with "equal jitter" (half fixed, half
 * random), so receivers coming back from an outage are not hit by every
 * sender at the same instant, yet the spacing still grows.
 */
export function retryDelayMs(
  attempt: number,
  baseMs: number,
  random: () => number = Math.random,
): number {
  const exp = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}
