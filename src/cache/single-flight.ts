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
