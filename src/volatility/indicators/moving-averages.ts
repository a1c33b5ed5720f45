import { assertPeriod, firstFinite, nanArray, rollingMean, Series } from './series-utils';

/** sma_n: mean of the last n closes; first value at index n-1. */
export function sma(values: Series, period: number): Float64Array {
  return rollingMean(values, period);
}

/**
 * EMA with k = 2/(n+1), seeded TA-Lib style with the simple average of the n
 * values ending at `seedEnd` (default: the first n values, so the first EMA
 * sits at index n-1). MACD passes a later `seedEnd` so its fast and slow EMAs
 * start on the same bar. The recursion is written ((x - prev) * k) + prev, the
 * order TA-Lib uses, so results agree with it to the last bits.
 */
export function ema(values: Series, period: number, seedEnd?: number): Float64Array {
  assertPeriod('period', period);
  const n = values.length;
  const out = nanArray(n);
  const end = seedEnd ?? firstFinite(values) + period - 1;
  const seedStart = end - period + 1;
  if (seedStart < firstFinite(values) || end >= n) return out;
  let sum = 0;
  for (let i = seedStart; i <= end; i += 1) sum += values[i];
  const k = 2 / (period + 1);
  let prev = sum / period;
  out[end] = prev;
  for (let i = end + 1; i < n; i += 1) {
    prev = (values[i] - prev) * k + prev;
    out[i] = prev;
  }
  return out;
}
