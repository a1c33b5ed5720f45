/**
 * Backoff for transient faults: exponential with "full jitter" (a uniform
 * draw between 0 and the exponential cap, as recommended by AWS's
 * architecture blog) so many clients failing together do not retry together.
 */
export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Uniform [0, 1) source; injectable so tests are reproducible. */
  random: () => number;
}

/** Delay before retry number `attempt` (1 = first retry). */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(options.random() * cap);
}

/**
 * Retry-After as milliseconds: either delta-seconds ("2") or an HTTP date
 * ("Wed, 21 Oct 2015 07:28:00 GMT"). Undefined when absent or unparseable.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Wait before the next attempt: the server's Retry-After when it gave one
 * (never less), otherwise the jittered backoff; both capped at maxDelayMs so a
 * misbehaving server cannot park a job for hours.
 */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  options: BackoffOptions,
): number {
  if (retryAfterMs !== undefined) return Math.min(options.maxDelayMs, retryAfterMs);
  return backoffDelay(attempt, options);
}
