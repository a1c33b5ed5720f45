import type { PriceTick } from '../market-data';

/**
 * Thins the live ticks for the audit trail: at most one row per instrument per
 * interval of `intervalMs`, the last price of that interval. Intervals are
 * aligned to the epoch and taken from the tick's own time, so the rule can be
 * checked in the table (no two rows of an instrument in one interval).
 *
 * Pure: no timers and no clock of its own. `offer()` is called per tick and
 * returns the row an interval produced when a tick of a later interval
 * arrives; `due(now)` returns the rows of intervals that have ended by `now`
 * (for instruments that went quiet); `drain()` returns everything pending (on
 * stop). Memory is one pending tick per instrument. `intervalMs <= 0` turns
 * sampling off: every tick is a row.
 */
export class AuditSampler {
  /** The latest tick of the interval each instrument is in. */
  private readonly pending = new Map<string, PriceTick>();
  /** The last interval each instrument produced a row for: a late tick of it is ignored. */
  private readonly written = new Map<string, number>();
  private skipped = 0;

  constructor(readonly intervalMs: number) {}

  /** Ticks not written because a later one of the same interval replaced them (or came too late). */
  get sampledOut(): number {
    return this.skipped;
  }

  offer(tick: PriceTick): PriceTick[] {
    if (this.intervalMs <= 0) return [tick];
    const interval = this.intervalOf(tick);
    const done = this.written.get(tick.instrument);
    if (done !== undefined && interval <= done) {
      this.skipped += 1;
      return [];
    }
    const current = this.pending.get(tick.instrument);
    if (!current) {
      this.pending.set(tick.instrument, tick);
      return [];
    }
    const currentInterval = this.intervalOf(current);
    if (interval === currentInterval) {
      // Ticks can arrive slightly out of order: the last price is the one with the latest time.
      if (tick.time.getTime() >= current.time.getTime()) this.pending.set(tick.instrument, tick);
      this.skipped += 1;
      return [];
    }
    if (interval < currentInterval) {
      this.skipped += 1;
      return [];
    }
    this.pending.set(tick.instrument, tick);
    this.written.set(tick.instrument, currentInterval);
    return [current];
  }

  /** Pending rows whose interval ended at or before `nowMs`. */
  due(nowMs: number): PriceTick[] {
    if (this.intervalMs <= 0) return [];
    const out: PriceTick[] = [];
    for (const [instrument, tick] of this.pending) {
      const interval = this.intervalOf(tick);
      if ((interval + 1) * this.intervalMs > nowMs) continue;
      out.push(tick);
      this.pending.delete(instrument);
      this.written.set(instrument, interval);
    }
    return out;
  }

  /** Every pending row, whether or not its interval has ended (shutdown, step-down). */
  drain(): PriceTick[] {
    const out = [...this.pending.values()];
    for (const tick of out) this.written.set(tick.instrument, this.intervalOf(tick));
    this.pending.clear();
    return out;
  }

  private intervalOf(tick: PriceTick): number {
    return Math.floor(tick.time.getTime() / this.intervalMs);
  }
}

/** Upper bound of audit rows per day: every instrument has at least one tick in every interval. */
export function maxAuditRowsPerDay(instruments: number, intervalMs: number): number {
  return intervalMs > 0
    ? Math.floor((instruments * 86_400_000) / intervalMs)
    : Number.POSITIVE_INFINITY;
}
