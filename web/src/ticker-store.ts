import type { PriceUpdateEvent } from './types';

export interface TickerRow {
  instrument: string;
  bid: number;
  ask: number;
  mid: number;
  time: string;
  /** Direction of the last change of mid: 1 up, -1 down, 0 none yet. */
  direction: 1 | -1 | 0;
  /** Counts changes, so a cell can restart its flash animation. */
  changes: number;
  /** Close of the previous complete H1 candle (mid). */
  previousClose: number | null;
  /** Recent mids, oldest first: hourly closes, then live ticks. */
  spark: number[];
}

const SPARK_POINTS = 60;

/** Listeners hear about ticks at most this often: readable, and cheap at any tick rate. */
export const RENDER_INTERVAL_MS = 100;

/**
 * Live prices for the ticker. Ticks are applied as they come (cheap) but
 * listeners hear about them at most every RENDER_INTERVAL_MS, on an animation
 * frame, so 80 ticks a second cost ten small renders, not 80.
 */
export class TickerStore {
  readonly rows = new Map<string, TickerRow>();
  version = 0;
  private readonly listeners = new Set<() => void>();
  private pending = false;
  private lastFlush = 0;

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Seeds a row's history (hourly closes) and reference close. */
  seed(instrument: string, closes: number[], previousClose: number | null): void {
    const row = this.rows.get(instrument);
    if (row) {
      row.previousClose = previousClose;
      row.spark = [...closes, ...row.spark.slice(-10)].slice(-SPARK_POINTS);
    } else {
      const last = closes[closes.length - 1] ?? NaN;
      this.rows.set(instrument, {
        instrument,
        bid: NaN,
        ask: NaN,
        mid: last,
        time: '',
        direction: 0,
        changes: 0,
        previousClose,
        spark: closes.slice(-SPARK_POINTS),
      });
    }
    this.schedule();
  }

  apply(batch: readonly PriceUpdateEvent[]): void {
    for (const { instrument, price } of batch) {
      const row = this.rows.get(instrument);
      if (!row) {
        this.rows.set(instrument, {
          instrument,
          ...price,
          direction: 0,
          changes: 0,
          previousClose: null,
          spark: [price.mid],
        });
        continue;
      }
      if (price.time && row.time && price.time < row.time) continue; // late, out-of-order tick
      const moved = Number.isFinite(row.mid) && price.mid !== row.mid;
      if (moved || price.bid !== row.bid || price.ask !== row.ask) {
        row.direction = price.mid > row.mid ? 1 : price.mid < row.mid ? -1 : row.direction;
        row.changes++;
      }
      row.bid = price.bid;
      row.ask = price.ask;
      row.mid = price.mid;
      row.time = price.time;
      row.spark.push(price.mid);
      if (row.spark.length > SPARK_POINTS) row.spark.splice(0, row.spark.length - SPARK_POINTS);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    const wait = Math.max(0, this.lastFlush + RENDER_INTERVAL_MS - performance.now());
    setTimeout(() => {
      requestAnimationFrame(() => {
        this.pending = false;
        this.lastFlush = performance.now();
        this.version++;
        for (const listener of this.listeners) listener();
      });
    }, wait);
  }
}
