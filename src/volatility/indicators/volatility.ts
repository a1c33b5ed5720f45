import { nanArray, rollingStd, Series } from './series-utils';

/** r_t = ln(c_t / c_{t-1}); index 0 has no return (NaN). */
export function logReturns(closes: Series): Float64Array {
  const n = closes.length;
  const out = nanArray(n);
  for (let i = 1; i < n; i += 1) out[i] = Math.log(closes[i] / closes[i - 1]);
  return out;
}

/**
 * volatility_n: sample standard deviation (divide by n-1) of the last n log
 * returns, annualised by sqrt(periodsPerYear). Needs n returns, i.e. n+1
 * closes: the first value is at index n.
 */
export function historicalVolatility(
  returns: Series,
  period: number,
  periodsPerYear: number,
): Float64Array {
  if (!(periodsPerYear > 0))
    throw new RangeError(`periodsPerYear must be > 0, got ${periodsPerYear}`);
  const out = rollingStd(returns, period, 1);
  const scale = Math.sqrt(periodsPerYear);
  for (let i = 0; i < out.length; i += 1) out[i] *= scale;
  return out;
}
