export { atr, trueRange } from './atr';
export { bollinger, type BollingerBands } from './bollinger';
export {
  computeMetrics,
  FIRST_INDEX,
  METRIC_COLUMNS,
  type MetricColumn,
  type MetricColumns,
  type OhlcSeries,
} from './compute-metrics';
export { macd, type Macd } from './macd';
export { ema, sma } from './moving-averages';
export { periodsPerYear } from './periods-per-year';
export { rsi } from './rsi';
export { stochastic, williamsR, type Stochastic } from './stochastic';
export { historicalVolatility, logReturns } from './volatility';
