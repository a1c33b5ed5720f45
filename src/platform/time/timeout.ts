/**
 * Rejects with a clear message when `promise` takes longer than `ms`.
 *
 * When the timer fires, the rejection waits one more event-loop turn
 * (setImmediate): if the event loop itself was blocked past the deadline, a
 * reply that already sits in the socket buffer is read in that turn and wins,
 * so a busy process does not mistake its own stall for a slow Redis.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      immediate = setImmediate(() => reject(new Error(`${what}: no answer within ${ms} ms`)));
    }, ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
  });
}
