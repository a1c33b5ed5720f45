import { granularityMs, type Granularity } from '../platform/time';
import { iterateCandleTimes } from '../platform/time';

/** A run of consecutive missing candles (consecutive in trading time: a weekend does not split it). */
export interface CandleGap {
  /** Open time of the first missing candle. */
  first: Date;
  /** Open time of the last missing candle. */
  last: Date;
  count: number;
}

/**
 * Missing candles in [from, to): expected trading-hour times that are not in
 * `present` (epoch ms of stored complete candles). Runs of missing times that
 * only a closed market separates become one gap, so the backfill fetches them
 * with one request.
 */
export function findGaps(params: {
  from: Date | number;
  to: Date | number;
  granularity: Granularity;
  present: ReadonlySet<number>;
}): CandleGap[] {
  const gaps: CandleGap[] = [];
  let open: { first: number; last: number; count: number } | undefined;
  for (const t of iterateCandleTimes(params.from, params.to, params.granularity)) {
    if (params.present.has(t)) {
      if (open) gaps.push(toGap(open));
      open = undefined;
    } else if (open) {
      open.last = t;
      open.count += 1;
    } else {
      open = { first: t, last: t, count: 1 };
    }
  }
  if (open) gaps.push(toGap(open));
  return gaps;
}

const toGap = (g: { first: number; last: number; count: number }): CandleGap => ({
  first: new Date(g.first),
  last: new Date(g.last),
  count: g.count,
});

export const missingCount = (gaps: readonly CandleGap[]): number =>
  gaps.reduce((n, g) => n + g.count, 0);

/** The provider range [from, to) that covers a gap. */
export function gapFetchRange(gap: CandleGap, granularity: Granularity): { from: Date; to: Date } {
  const step = granularityMs(granularity) ?? 0;
  return { from: gap.first, to: new Date(gap.last.getTime() + step) };
}

/** Compact one-line form, e.g. "2026-03-04T10:00Z .. 2026-03-04T12:00Z (3 candles)". */
export function formatGap(gap: CandleGap): string {
  const plural = gap.count === 1 ? 'candle' : 'candles';
  if (gap.count === 1) return `${shortIso(gap.first)} (1 ${plural})`;
  return `${shortIso(gap.first)} .. ${shortIso(gap.last)} (${gap.count} ${plural})`;
}

/** ISO time without zero seconds/milliseconds: 2026-03-04T10:00Z. */
export function shortIso(t: Date): string {
  return t
    .toISOString()
    .replace(/\.000Z$/, 'Z')
    .replace(/:00Z$/, 'Z');
}
