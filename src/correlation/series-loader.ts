import { CandleSeriesService, type CloseSeries } from '../candles';
import { HOUR_MS, DAY_MS } from '../platform/time';

/**
 * Loads each instrument's hourly closes up to the cutoff once, from a recent
 * lookback window that comfortably holds the last W + 1 common times (weekends,
 * holidays and missing bars included), all instruments in one query. An
 * instrument (or a pair) that falls short in that window is reloaded once
 * with its whole history, so the result is exactly "the last W + 1 common
 * times" either way.
 */
export class SeriesLoader {
  private readonly series = new Map<string, CloseSeries>();
  private readonly complete = new Set<string>();
  readonly lookbackFrom: Date;

  constructor(
    private readonly candles: CandleSeriesService,
    private readonly cutoff: Date,
    maxWindow: number,
    private readonly concurrency = 4,
  ) {
    // (W+1) hourly bars span about (W+1)/24 x 7/5 days of calendar time; x4 and at least 30 days.
    const lookbackMs = Math.max(30 * DAY_MS, (maxWindow + 1) * HOUR_MS * 4);
    this.lookbackFrom = new Date(cutoff.getTime() - lookbackMs);
  }

  async loadRecent(instruments: readonly string[], minimum: number): Promise<void> {
    const recent = await this.candles.closeSeries(instruments, {
      granularity: 'H1',
      from: this.lookbackFrom,
      to: this.cutoff,
    });
    for (const [instrument, series] of recent) this.series.set(instrument, series);
    await this.forEach(
      instruments.filter((i) => recent.get(i)!.times.length < minimum),
      (i) => this.loadFull(i),
    );
  }

  /** Reloads with the whole history up to the cutoff (no-op if already done). */
  async loadFull(instrument: string): Promise<void> {
    if (this.complete.has(instrument)) return;
    this.series.set(
      instrument,
      await this.candles.midSeries({ instrument, granularity: 'H1', to: this.cutoff }),
    );
    this.complete.add(instrument);
  }

  async loadFullAll(instruments: readonly string[]): Promise<void> {
    await this.forEach(instruments, (i) => this.loadFull(i));
  }

  get(instrument: string): CloseSeries {
    const s = this.series.get(instrument);
    if (!s) throw new Error(`series of ${instrument} not loaded`);
    return s;
  }

  isComplete(instrument: string): boolean {
    return this.complete.has(instrument);
  }

  private async forEach(
    items: readonly string[],
    fn: (item: string) => Promise<void>,
  ): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) {
        const item = items[next];
        next += 1;
        await fn(item);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, items.length) }, worker));
  }
}
