import { assertPeriod, nanArray, Series } from './series-utils';

/**
 * RSI(n), Wilder, TA-Lib "classic": the first average gain and loss are the
 * means of the first n close-to-close changes (so the first RSI is at index
 * n), then each is smoothed as avg = (avg x (n-1) + x) / n. RSI = 100 x G /
 * (G + L), and 0 when G + L = 0 (a perfectly flat stretch), as DESIGN says.
 * TA-Lib returns 0 below a tiny epsilon instead of at exactly zero, which no
 * real FX series reaches.
 */
export function rsi(closes: Series, period = 14): Float64Array {
  assertPeriod('period', period);
  const n = closes.length;
  const out = nanArray(n);
  if (n <= period) return out;
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i += 1) {
    const change = closes[i] - closes[i - 1];
    if (change < 0) loss -= change;
    else gain += change;
  }
  gain /= period;
  loss /= period;
  out[period] = ratio(gain, loss);
  for (let i = period + 1; i < n; i += 1) {
    const change = closes[i] - closes[i - 1];
    gain = (gain * (period - 1) + (change > 0 ? change : 0)) / period;
    loss = (loss * (period - 1) + (change < 0 ? -change : 0)) / period;
    out[i] = ratio(gain, loss);
  }
  return out;
}

function ratio(gain: number, loss: number): number {
  const total = gain + loss;
  return total === 0 ? 0 : (100 * gain) / total;
}
