import { assertPeriod, nanArray, Series } from './series-utils';

/**
 * True range from the second candle on: max(h-l, |h-c_prev|, |l-c_prev|).
 * Index 0 has no previous close, so it is NaN (TA-Lib's TRANGE agrees).
 */
export function trueRange(high: Series, low: Series, close: Series): Float64Array {
  const n = Math.min(high.length, low.length, close.length);
  const out = nanArray(n);
  for (let i = 1; i < n; i += 1) {
    const prev = close[i - 1];
    out[i] = Math.max(high[i] - low[i], Math.abs(high[i] - prev), Math.abs(low[i] - prev));
  }
  return out;
}

/**
 * ATR(n), Wilder: the first ATR is the mean of the first n true ranges
 * (candles 1..n, so it sits at index n); then ATR_t = (ATR_{t-1} x (n-1) + TR_t) / n.
 * Same seeding and lookback as TA-Lib's ATR with no unstable period.
 */
export function atr(high: Series, low: Series, close: Series, period = 14): Float64Array {
  assertPeriod('period', period);
  const tr = trueRange(high, low, close);
  const n = tr.length;
  const out = nanArray(n);
  if (n <= period) return out;
  let sum = 0;
  for (let i = 1; i <= period; i += 1) sum += tr[i];
  let prev = sum / period;
  out[period] = prev;
  for (let i = period + 1; i < n; i += 1) {
    prev = (prev * (period - 1) + tr[i]) / period;
    out[i] = prev;
  }
  return out;
}
