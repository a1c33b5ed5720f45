import { isConnectionError } from './connection-errors';

export interface DbRetryOptions {
  /** Give up once this long has passed since the first failure (JOB_DB_RETRY_SECONDS). */
  budgetMs: number;
  /** What is being retried, for the log line ("sync EUR_USD"). */
  what: string;
  /** Aborting ends the wait at once and rethrows the last error. */
  signal?: AbortSignal;
  /** Told about every retry: the fault is external, so it is logged, not hidden. */
  onRetry?: (info: { what: string; attempt: number; delayMs: number; error: Error }) => void;
  /** First and largest pause between attempts. */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** Pause before attempt `attempt + 1`: exponential from `base`, capped, with up to 25 % jitter. */
export function retryDelayMs(
  attempt: number,
  base: number,
  max: number,
  random = Math.random,
): number {
  const exponential = Math.min(base * 2 ** (attempt - 1), max);
  return Math.round(exponential * (1 + 0.25 * random()));
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `work`; when it fails because the connection to PostgreSQL failed
 * (a restart, a refused or cut connection: see `isConnectionError`), runs it
 * again with backoff until it succeeds or `budgetMs` has passed since the
 * first failure. Any other error is rethrown at once. `work` must be safe to
 * repeat (an upsert, a read, a transaction that rolled back with its connection).
 */
export async function withDbRetry<T>(work: () => Promise<T>, options: DbRetryOptions): Promise<T> {
  const base = options.baseDelayMs ?? 250;
  const max = options.maxDelayMs ?? 4_000;
  let firstFailureAt: number | undefined;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!isConnectionError(error) || options.signal?.aborted) throw error;
      firstFailureAt ??= Date.now();
      const left = firstFailureAt + options.budgetMs - Date.now();
      if (left <= 0) throw error;
      const delayMs = Math.min(retryDelayMs(attempt, base, max), left);
      options.onRetry?.({ what: options.what, attempt, delayMs, error: error as Error });
      await pause(delayMs, options.signal);
      if (options.signal?.aborted) throw error;
    }
  }
}
