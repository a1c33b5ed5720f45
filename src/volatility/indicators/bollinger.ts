import { rollingMean, rollingStd, Series } from './series-utils';

export interface BollingerBands {
  upper: Float64Array;
  middle: Float64Array;
  lower: Float64Array;
}

/**
 * Bollinger(n, k): middle = SMA n; upper/lower = middle +/- k x POPULATION
 * standard deviation (divide by n) of the last n closes, as TA-Lib's BBANDS.
 * TA-Lib 0.4 reports a zero deviation when the variance is below 1e-8 (its
 * TA_IS_ZERO epsilon); we keep the exact value, which only differs for
 * windows whose spread is under about a tenth of a pip.
 */
export function bollinger(closes: Series, period = 20, deviations = 2): BollingerBands {
  const middle = rollingMean(closes, period);
  const std = rollingStd(closes, period, 0);
  const n = closes.length;
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const width = deviations * std[i];
    upper[i] = middle[i] + width;
    lower[i] = middle[i] - width;
  }
  return { upper, middle, lower };
}
