/**
 * Small building blocks shared by the indicators. Every indicator returns a
 * full-length Float64Array aligned with its input (index i = candle i, oldest
 * first) holding NaN where there is not enough history yet; NaN becomes NULL
 * in the database, never a guess.
 */

/** Anything indexable by number: Float64Array from the candle reader or a plain array in tests. */
export type Series = ArrayLike<number>;

/** A length-n array of NaN, the "no value yet" output every indicator starts from. */
export function nanArray(n: number): Float64Array {
  return new Float64Array(n).fill(Number.NaN);
}

/** Index of the first finite value (NaN prefixes are how indicators chain), or `values.length`. */
export function firstFinite(values: Series): number {
  let i = 0;
  while (i < values.length && !Number.isFinite(values[i])) i += 1;
  return i;
}

export function assertPeriod(name: string, period: number): void {
  if (!Number.isInteger(period) || period < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${period}`);
  }
}

/** Windows up to this length are summed directly: as cheap as a running sum, and exact. */
const DIRECT_SUM_MAX = 16;

/**
 * Simple moving average over the finite tail of `values` (from its first finite
 * index). Short windows are summed directly, so a window of zeros (a flat
 * stochastic) averages to exactly 0 instead of a 1e-16 running-sum residue.
 * Longer windows use a running sum, recomputed exactly once per `period` bars
 * so it cannot drift over a year of hourly bars: O(n) either way.
 */
export function rollingMean(values: Series, period: number): Float64Array {
  assertPeriod('period', period);
  const n = values.length;
  const out = nanArray(n);
  const first = firstFinite(values);
  const start = first + period - 1;
  const direct = period <= DIRECT_SUM_MAX;
  let sum = 0;
  for (let i = start; i < n; i += 1) {
    if (direct || (i - start) % period === 0) {
      sum = 0;
      for (let k = i - period + 1; k <= i; k += 1) sum += values[k];
    } else {
      sum += values[i] - values[i - period];
    }
    out[i] = sum / period;
  }
  return out;
}

/**
 * Rolling standard deviation: `ddof` 0 = population (divide by n, Bollinger),
 * 1 = sample (divide by n-1, historical volatility). Sums are kept relative to
 * an anchor near the current window's mean and rebuilt once per `period` bars,
 * so prices around 150 with moves of 0.001 lose no precision to cancellation
 * (the naive sum of squares minus square of sums would).
 */
export function rollingStd(values: Series, period: number, ddof: 0 | 1): Float64Array {
  assertPeriod('period', period);
  if (period - ddof < 1) throw new RangeError(`period ${period} too short for ddof ${ddof}`);
  const n = values.length;
  const out = nanArray(n);
  const first = firstFinite(values);
  const start = first + period - 1;
  let anchor = 0;
  let s1 = 0;
  let s2 = 0;
  for (let i = start; i < n; i += 1) {
    if ((i - start) % period === 0) {
      let mean = 0;
      for (let k = i - period + 1; k <= i; k += 1) mean += values[k];
      anchor = mean / period;
      s1 = 0;
      s2 = 0;
      for (let k = i - period + 1; k <= i; k += 1) {
        const d = values[k] - anchor;
        s1 += d;
        s2 += d * d;
      }
    } else {
      const a = values[i] - anchor;
      const b = values[i - period] - anchor;
      s1 += a - b;
      s2 += a * a - b * b;
    }
    const squares = s2 - (s1 * s1) / period;
    // Rounding can leave a flat window a hair below zero.
    out[i] = Math.sqrt(squares > 0 ? squares / (period - ddof) : 0);
  }
  return out;
}

/**
 * Highest high and lowest low of the last `period` bars at every index from
 * period-1 on, with monotonic deques: O(n) however long the window.
 */
export function rollingExtremes(
  high: Series,
  low: Series,
  period: number,
): { highest: Float64Array; lowest: Float64Array } {
  assertPeriod('period', period);
  const n = Math.min(high.length, low.length);
  const highest = nanArray(n);
  const lowest = nanArray(n);
  const maxQ = new Int32Array(n);
  const minQ = new Int32Array(n);
  let maxHead = 0;
  let maxTail = 0;
  let minHead = 0;
  let minTail = 0;
  for (let i = 0; i < n; i += 1) {
    while (maxTail > maxHead && high[maxQ[maxTail - 1]] <= high[i]) maxTail -= 1;
    maxQ[maxTail++] = i;
    while (minTail > minHead && low[minQ[minTail - 1]] >= low[i]) minTail -= 1;
    minQ[minTail++] = i;
    const oldest = i - period + 1;
    if (maxQ[maxHead] < oldest) maxHead += 1;
    if (minQ[minHead] < oldest) minHead += 1;
    if (oldest >= 0) {
      highest[i] = high[maxQ[maxHead]];
      lowest[i] = low[minQ[minHead]];
    }
  }
  return { highest, lowest };
}
