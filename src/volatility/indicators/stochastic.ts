import { rollingMean, nanArray, rollingExtremes, Series } from './series-utils';

export interface Stochastic {
  /** Slow %K: SMA of the raw %K. */
  k: Float64Array;
  /** Slow %D: SMA of the slow %K. */
  d: Float64Array;
}

/**
 * Slow stochastic (14, 3, 3), TA-Lib STOCH with SMA smoothing: raw %K =
 * 100 x (c - LL)/(HH - LL) over the last 14 highs/lows (first at index 13),
 * 0 when the window is flat (HH = LL) as TA-Lib does; stoch_k = SMA3(raw %K)
 * from index 15, stoch_d = SMA3(stoch_k) from index 17.
 */
export function stochastic(
  high: Series,
  low: Series,
  close: Series,
  period = 14,
  kSmoothing = 3,
  dSmoothing = 3,
): Stochastic {
  const { highest, lowest } = rollingExtremes(high, low, period);
  const n = highest.length;
  const raw = nanArray(n);
  for (let i = period - 1; i < n; i += 1) {
    // Same operation order as TA-Lib: divide by (range / 100).
    const diff = (highest[i] - lowest[i]) / 100;
    raw[i] = diff !== 0 ? (close[i] - lowest[i]) / diff : 0;
  }
  const k = rollingMean(raw, kSmoothing);
  const d = rollingMean(k, dSmoothing);
  return { k, d };
}

/**
 * Williams %R(14) = -100 x (HH - c)/(HH - LL), from -100 (close at the low) to
 * 0 (close at the high). A flat window (HH = LL) gives 0, TA-Lib's WILLR
 * convention; first value at index 13.
 */
export function williamsR(high: Series, low: Series, close: Series, period = 14): Float64Array {
  const { highest, lowest } = rollingExtremes(high, low, period);
  const n = highest.length;
  const out = nanArray(n);
  for (let i = period - 1; i < n; i += 1) {
    const diff = (highest[i] - lowest[i]) / -100;
    // + 0 turns the -0 of a close at the high into 0.
    out[i] = diff !== 0 ? (highest[i] - close[i]) / diff + 0 : 0;
  }
  return out;
}
