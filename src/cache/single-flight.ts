/**
 * Collapses concurrent calls for one key into one execution: while a load of
 * `key` is in flight, later callers get the same promise instead of starting
 * another (a cache stampede on a cold key would otherwise run the same
 * database query once per waiting request). Pure, no Nest imports.
 */
export class SingleFlight {
  private readonly inflight = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const existing = this.inflight.get(key);
    if (existing) return existing as Promise<T>;
    const promise = (async () => {
      try {
        return await fn();
      } finally {
        this.inflight.delete(key);
      }
    })();
    this.inflight.set(key, promise);
    return promise;
  }

  /** Keys with a load in flight right now. */
  get size(): number {
    return this.inflight.size;
  }
}

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
