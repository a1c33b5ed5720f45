/**
 * The fast path of the daily matrix (DESIGN.md section 5), pure.
 *
 * When two instruments have the same last W + 1 candle times, those times are
 * also their last W + 1 COMMON times (neither has a later candle the other
 * lacks), so the pair's returns are simply each instrument's own last W log
 * returns. Those, their mean and their centred deviations are then computed
 * once per instrument instead of once per pair, and a pair costs one dot
 * product. The arithmetic is the same as pairCorrelation + pearson's, in the
 * same order, so the result is bit for bit the same; pairs whose tails differ
 * (a missing bar on one side) go through pairCorrelation as before.
 */
import type { PriceSeries } from './pearson';

/** One instrument's last W returns, centred, and the times they span. */
export interface ReturnTail {
  /** The last W + 1 candle times, newest first. */
  times: Float64Array;
  /** x[k] - mean(x) for the returns x[k] = ln(close[t_k] / close[t_k+1]), newest first. */
  deviations: Float64Array;
  /** Sum of squared deviations. */
  sxx: number;
  /** Tails with equal times share a group (see groupTails); -1 until grouped. */
  group: number;
}

/** The tail of one series for window W, or null when it holds fewer than W + 1 candles. */
export function returnTail(series: PriceSeries, window: number): ReturnTail | null {
  const n = series.times.length;
  if (n < window + 1) return null;
  const times = new Float64Array(window + 1);
  for (let k = 0; k <= window; k += 1) times[k] = series.times[n - 1 - k];
  // As pairCorrelation forms them: newest return first.
  const x = new Float64Array(window);
  for (let k = 0; k < window; k += 1) {
    x[k] = Math.log(series.close[n - 1 - k] / series.close[n - 2 - k]);
  }
  // As pearson sums them: the mean first, then the deviations in the same order.
  let mean = 0;
  for (let k = 0; k < window; k += 1) mean += x[k];
  mean /= window;
  let sxx = 0;
  for (let k = 0; k < window; k += 1) {
    const d = x[k] - mean;
    x[k] = d;
    sxx += d * d;
  }
  return { times, deviations: x, sxx, group: -1 };
}

const sameTimes = (a: Float64Array, b: Float64Array): boolean => {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k += 1) if (a[k] !== b[k]) return false;
  return true;
};

/**
 * Numbers the tails so that equal times get equal groups: a pair is then
 * checked in O(1). Usually every instrument ends on the same hours and there
 * is one group; the loop over groups stays short.
 */
export function groupTails(tails: Iterable<ReturnTail>): number {
  const representatives: ReturnTail[] = [];
  for (const tail of tails) {
    const found = representatives.findIndex((r) => sameTimes(r.times, tail.times));
    if (found >= 0) {
      tail.group = found;
    } else {
      tail.group = representatives.length;
      representatives.push(tail);
    }
  }
  return representatives.length;
}

/**
 * Pearson r of two tails of the same group, exactly as pearson() computes it
 * from the same returns: NaN without variance, clamped to [-1, 1].
 */
export function tailCorrelation(a: ReturnTail, b: ReturnTail): number {
  if (a.group < 0 || a.group !== b.group) {
    throw new RangeError('tails of different times: correlate the pair with pairCorrelation');
  }
  const x = a.deviations;
  const y = b.deviations;
  let sxy = 0;
  for (let k = 0; k < x.length; k += 1) sxy += x[k] * y[k];
  if (a.sxx === 0 || b.sxx === 0) return Number.NaN;
  const r = sxy / Math.sqrt(a.sxx * b.sxx);
  return r > 1 ? 1 : r < -1 ? -1 : r;
}
