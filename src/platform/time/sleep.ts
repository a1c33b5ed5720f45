/**
 * Waits `ms` unless `signal` aborts first. Resolves true when the full time
 * passed, false when aborted, so loops can end cleanly without try/catch.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Waits `ms` on a timer that does not keep the process alive: for pauses that
 * only matter while something else runs (shutdown grace, breathing room
 * between batches), so a finished CLI never hangs on one.
 */
export function idleSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
