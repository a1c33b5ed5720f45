import { isOpenAt, nextOpen } from './market-calendar';
import { granularityMs, hasUtcGrid, GAP_GRANULARITIES, type Granularity } from './granularity';

/**
 * The FX trading week used across the service: closed from Friday 17:00 to
 * Sunday 17:00 New York time (21:00 or 22:00 UTC with US daylight saving).
 * The market-data calendar is the one implementation of that convention; this
 * module builds the candle-time arithmetic of gap detection and backfill
 * planning on it, so the simulated market, the gap finder and data freshness
 * always agree.
 */
export function isMarketOpen(t: Date | number): boolean {
  return isOpenAt(+t);
}

export class UnsupportedGranularityError extends Error {
  constructor(granularity: string) {
    super(
      `granularity ${granularity} has no fixed UTC candle grid; gap detection supports ${GAP_GRANULARITIES.join(', ')}`,
    );
    this.name = 'UnsupportedGranularityError';
  }
}

function stepMs(granularity: Granularity): number {
  const ms = granularityMs(granularity);
  if (ms === undefined || !hasUtcGrid(granularity))
    throw new UnsupportedGranularityError(granularity);
  return ms;
}

/** Start of the candle containing `t` (floor to the granularity's UTC grid). */
export function candleStart(t: number, granularity: Granularity): number {
  const step = stepMs(granularity);
  return Math.floor(t / step) * step;
}

/**
 * Open times (epoch ms) of the candles a provider should have in [from, to):
 * on the granularity's grid and inside trading hours (for S5..H1 a candle
 * never straddles the open or close, which fall on whole hours). A
 * generator, so an S5 year streams into a gap scan instead of materialising
 * six million numbers.
 */
export function* iterateCandleTimes(
  from: Date | number,
  to: Date | number,
  granularity: Granularity,
): Generator<number> {
  const step = stepMs(granularity);
  const end = +to;
  let t = Math.ceil(+from / step) * step;
  while (t < end) {
    if (isOpenAt(t)) {
      yield t;
      t += step;
    } else {
      // Jump straight to the open (a whole hour, so on every S5..H1 grid).
      t = nextOpen(t);
    }
  }
}

export function expectedCandleTimes(
  from: Date | number,
  to: Date | number,
  granularity: Granularity,
): Date[] {
  return [...iterateCandleTimes(from, to, granularity)].map((t) => new Date(t));
}

export function countExpectedCandles(
  from: Date | number,
  to: Date | number,
  granularity: Granularity,
): number {
  let n = 0;
  for (const _ of iterateCandleTimes(from, to, granularity)) n += 1;
  return n;
}

/**
 * First expected candle time at or after `t` and before `limit`, or
 * undefined (so "nothing can exist there yet" costs no provider request).
 */
export function nextExpectedTime(
  t: Date | number,
  granularity: Granularity,
  limit: Date | number,
): number | undefined {
  const next = iterateCandleTimes(t, limit, granularity).next();
  return next.done ? undefined : next.value;
}
