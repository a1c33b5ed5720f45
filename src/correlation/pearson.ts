/**
 * Correlation math (DESIGN.md section 5), pure: no Nest, no database.
 * Correlations are always of log returns, never of price levels.
 */

/** Candle times (epoch ms, ascending) and closes of one instrument. */
export interface PriceSeries {
  times: ArrayLike<number>;
  close: ArrayLike<number>;
}

export interface PairCorrelation {
  /** Pearson r of the W returns, NaN when there were fewer than W + 1 common times or no variance. */
  correlation: number;
  /** Returns used: W, or the fewer ones available when the pair fell short. */
  sampleSize: number;
}

/**
 * Pearson correlation of two equally long samples, two-pass (means first) so
 * returns of 1e-4 keep their precision. NaN for fewer than two points or when
 * either sample has zero variance (a flat series correlates with nothing).
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n !== y.length) throw new RangeError(`samples differ in length: ${n} vs ${y.length}`);
  if (n < 2) return Number.NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i += 1) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i += 1) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  const r = sxy / Math.sqrt(sxx * syy);
  // Rounding may overshoot by an ulp; the table has a CHECK on [-1, 1].
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

/**
 * Correlation of one pair over window W as DESIGN defines it: take the candle
 * times present in BOTH series, keep the last W + 1 of them, form the W log
 * returns of each instrument between consecutive common times, and correlate.
 * Walks both series backwards from their ends and stops after W + 1 matches,
 * so the cost is O(W + gaps) however long the histories are.
 */
export function pairCorrelation(a: PriceSeries, b: PriceSeries, window: number): PairCorrelation {
  if (!Number.isInteger(window) || window < 2) {
    throw new RangeError(`window must be an integer >= 2, got ${window}`);
  }
  const needed = window + 1;
  const ia = new Int32Array(needed);
  const ib = new Int32Array(needed);
  let found = 0;
  let i = a.times.length - 1;
  let j = b.times.length - 1;
  while (i >= 0 && j >= 0 && found < needed) {
    const ta = a.times[i];
    const tb = b.times[j];
    if (ta === tb) {
      ia[found] = i;
      ib[found] = j;
      found += 1;
      i -= 1;
      j -= 1;
    } else if (ta > tb) {
      i -= 1;
    } else {
      j -= 1;
    }
  }
  if (found < needed) return { correlation: Number.NaN, sampleSize: Math.max(found - 1, 0) };
  // ia/ib run newest first; the order of the pairs does not matter to Pearson.
  const x = new Float64Array(window);
  const y = new Float64Array(window);
  for (let k = 0; k < window; k += 1) {
    x[k] = Math.log(a.close[ia[k]] / a.close[ia[k + 1]]);
    y[k] = Math.log(b.close[ib[k]] / b.close[ib[k + 1]]);
  }
  return { correlation: pearson(x, y), sampleSize: window };
}

/** Every unordered pair of `instruments` once, names sorted within the pair (pair1 < pair2). */
export function unorderedPairs(instruments: readonly string[]): Array<[string, string]> {
  const sorted = [...new Set(instruments)].sort();
  const pairs: Array<[string, string]> = [];
  for (let p = 0; p < sorted.length; p += 1) {
    for (let q = p + 1; q < sorted.length; q += 1) pairs.push([sorted[p], sorted[q]]);
  }
  return pairs;
}

/** Orders two instrument names the way correlation_matrix stores them (pair1 < pair2). */
export function orderPair(x: string, y: string): [string, string] {
  return x < y ? [x, y] : [y, x];
}
