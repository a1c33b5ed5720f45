import { atr } from './atr';
import { bollinger } from './bollinger';
import { macd } from './macd';
import { ema, sma } from './moving-averages';
import { rsi } from './rsi';
import { Series } from './series-utils';
import { stochastic, williamsR } from './stochastic';
import { historicalVolatility, logReturns } from './volatility';

/** The metric columns of `volatility_metrics`, in table order (snake_case = column names). */
export const METRIC_COLUMNS = [
  'volatility_20',
  'volatility_50',
  'sma_15',
  'sma_20',
  'sma_30',
  'sma_50',
  'ema_12',
  'ema_26',
  'bb_upper',
  'bb_middle',
  'bb_lower',
  'atr',
  'rsi_14',
  'macd',
  'macd_signal',
  'macd_histogram',
  'stoch_k',
  'stoch_d',
  'williams_r',
] as const;
export type MetricColumn = (typeof METRIC_COLUMNS)[number];

/** Every metric as a full-length column aligned with the candles (NaN = not enough history). */
export type MetricColumns = Record<MetricColumn, Float64Array>;

export interface OhlcSeries {
  high: Series;
  low: Series;
  close: Series;
}

/**
 * All indicators of DESIGN.md section 5 for one instrument's consecutive
 * candles, oldest first. Pure and allocation-light: each indicator is one
 * sweep over the arrays, so a year of H1 bars takes well under a millisecond.
 */
export function computeMetrics(series: OhlcSeries, periodsPerYear: number): MetricColumns {
  const { high, low, close } = series;
  if (high.length !== close.length || low.length !== close.length) {
    throw new RangeError('high, low and close must have the same length');
  }
  const returns = logReturns(close);
  const bands = bollinger(close, 20, 2);
  const m = macd(close, 12, 26, 9);
  const stoch = stochastic(high, low, close, 14, 3, 3);
  return {
    volatility_20: historicalVolatility(returns, 20, periodsPerYear),
    volatility_50: historicalVolatility(returns, 50, periodsPerYear),
    sma_15: sma(close, 15),
    sma_20: bands.middle,
    sma_30: sma(close, 30),
    sma_50: sma(close, 50),
    ema_12: ema(close, 12),
    ema_26: ema(close, 26),
    bb_upper: bands.upper,
    bb_middle: bands.middle,
    bb_lower: bands.lower,
    atr: atr(high, low, close, 14),
    rsi_14: rsi(close, 14),
    macd: m.macd,
    macd_signal: m.signal,
    macd_histogram: m.histogram,
    stoch_k: stoch.k,
    stoch_d: stoch.d,
    williams_r: williamsR(high, low, close, 14),
  };
}

/** Index of the first bar each column can have, for documentation and tests. */
export const FIRST_INDEX: Readonly<Record<MetricColumn, number>> = {
  volatility_20: 20,
  volatility_50: 50,
  sma_15: 14,
  sma_20: 19,
  sma_30: 29,
  sma_50: 49,
  ema_12: 11,
  ema_26: 25,
  bb_upper: 19,
  bb_middle: 19,
  bb_lower: 19,
  atr: 14,
  rsi_14: 14,
  macd: 25,
  macd_signal: 33,
  macd_histogram: 33,
  stoch_k: 15,
  stoch_d: 17,
  williams_r: 13,
};
