/**
 * One value kept for `ttlMs` after it was loaded. Scrape-time metrics use it
 * so that several Prometheus servers (or a dashboard refreshing every 5 s)
 * do not each run the size and freshness queries on every scrape.
 * Concurrent callers during a load share the one in-flight promise; a failed
 * load is not kept, so the next scrape tries again.
 */
export class TtlCache<T> {
  private value: { at: number; data: T } | null = null;
  private inFlight: Promise<T> | null = null;

  constructor(
    private readonly ttlMs: number,
    private readonly load: () => Promise<T>,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<T> {
    if (this.value && this.now() - this.value.at < this.ttlMs) return this.value.data;
    if (this.inFlight) return this.inFlight;
    this.inFlight = this.load().then(
      (data) => {
        this.value = { at: this.now(), data };
        this.inFlight = null;
        return data;
      },
      (error: unknown) => {
        this.inFlight = null;
        throw error;
      },
    );
    return this.inFlight;
  }
}
