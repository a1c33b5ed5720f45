import { CandleGap, gapFetchRange, missingCount } from './gap-finder';
import { granularityMs, hasUtcGrid, type Granularity } from '../platform/time';
import type { StoredBounds } from '../candles';
import { candleStart, countExpectedCandles, nextExpectedTime } from '../platform/time';

/** One provider fetch: [from, to), `to` undefined meaning "up to now". */
export interface FetchRange {
  from: Date;
  to?: Date;
}

export interface InstrumentPlan {
  ranges: FetchRange[];
  /** Candles expected in the ranges (progress total); 0 when the grid is unknown. */
  expected: number;
  /** Holes found while planning (runs of missing candles). */
  gapRanges: number;
}

/** Start of the rolling window `days` back from now, on the candle grid when there is one. */
export function windowStart(now: Date, days: number, granularity: Granularity): Date {
  const t = now.getTime() - days * 86_400_000;
  return new Date(hasUtcGrid(granularity) ? candleStart(t, granularity) : t);
}

/**
 * Resume mode: fetch after the last stored complete candle (a trailing
 * incomplete one is therefore fetched again), plus the head of the window
 * when stored history starts later than `now - days` (a longer --days than
 * last time). Ranges in which no candle can exist yet (weekend, or the next
 * candle has not started) are dropped, so a rerun costs no requests.
 */
export function planResume(params: {
  granularity: Granularity;
  now: Date;
  days: number;
  bounds: StoredBounds | undefined;
}): InstrumentPlan {
  const { granularity, now, bounds } = params;
  const start = windowStart(now, params.days, granularity);
  const ranges: FetchRange[] = [];
  if (!bounds?.lastComplete) {
    ranges.push({ from: start });
  } else {
    if (bounds.first && bounds.first > start) ranges.push({ from: start, to: bounds.first });
    // Month candles have no fixed length; one second past the last open time excludes it all the same.
    const step = granularityMs(granularity) ?? 1000;
    ranges.push({
      from: new Date(Math.max(bounds.lastComplete.getTime() + step, start.getTime())),
    });
  }
  return finish(granularity, now, ranges);
}

/** Range mode (--from/--to): fetch exactly the holes (or the whole range when holes are unknowable). */
export function planRange(params: {
  granularity: Granularity;
  now: Date;
  from: Date;
  to: Date;
  gaps: readonly CandleGap[] | undefined;
}): InstrumentPlan {
  const { granularity, now, gaps } = params;
  if (!gaps) return finish(granularity, now, [{ from: params.from, to: params.to }]);
  const ranges = gaps.map((g) => gapFetchRange(g, granularity));
  return { ranges, expected: missingCount(gaps), gapRanges: gaps.length };
}

function finish(granularity: Granularity, now: Date, candidates: FetchRange[]): InstrumentPlan {
  if (!hasUtcGrid(granularity)) {
    // Without a grid, a bounded range shorter than one candle cannot hold a candle that starts in it.
    const minLength = granularityMs(granularity) ?? 28 * 86_400_000;
    const ranges = candidates.filter((r) =>
      r.to ? r.to.getTime() - r.from.getTime() >= minLength : r.from < now,
    );
    return { ranges, expected: 0, gapRanges: ranges.length };
  }
  // A candle "exists" once it has started: the forming one is fetched (stored incomplete).
  const limit = now.getTime() + 1;
  const ranges = candidates.filter(
    (r) =>
      nextExpectedTime(r.from, granularity, Math.min(r.to?.getTime() ?? limit, limit)) !==
      undefined,
  );
  const expected = ranges.reduce(
    (n, r) =>
      n + countExpectedCandles(r.from, Math.min(r.to?.getTime() ?? limit, limit), granularity),
    0,
  );
  return { ranges, expected, gapRanges: ranges.length };
}
