import { ema } from './moving-averages';
import { assertPeriod, nanArray, Series } from './series-utils';

export interface Macd {
  macd: Float64Array;
  signal: Float64Array;
  histogram: Float64Array;
}

/**
 * MACD(fast, slow, signal) as TA-Lib computes it: both price EMAs are seeded
 * with simple averages whose windows END ON THE SAME BAR, the slow period's
 * last bar. With 12/26 the slow seed is the mean of closes 0..25 and the fast
 * seed the mean of closes 14..25, so the first MACD value is at index 25
 * (TA-Lib's ta_MACD.c: "The fast and slow seed windows end on the same bar").
 * This is why macd here is not ema_12 - ema_26 of the standalone columns,
 * whose ema_12 is seeded on closes 0..11. The signal is an EMA of the MACD
 * line seeded with the mean of its first `signal` values (first at index 33);
 * histogram = macd - signal.
 */
export function macd(closes: Series, fast = 12, slow = 26, signalPeriod = 9): Macd {
  assertPeriod('fast', fast);
  assertPeriod('slow', slow);
  assertPeriod('signal', signalPeriod);
  if (fast > slow) [fast, slow] = [slow, fast]; // TA-Lib swaps them too
  const n = closes.length;
  const seedEnd = slow - 1;
  const fastEma = ema(closes, fast, seedEnd);
  const slowEma = ema(closes, slow, seedEnd);
  const line = nanArray(n);
  for (let i = seedEnd; i < n; i += 1) line[i] = fastEma[i] - slowEma[i];
  const signal = ema(line, signalPeriod);
  const histogram = nanArray(n);
  for (let i = 0; i < n; i += 1) histogram[i] = line[i] - signal[i];
  return { macd: line, signal, histogram };
}
