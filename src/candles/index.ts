/** The public surface of candles: other folders import only what is exported here. */
export { CandleReader } from './candle-reader.store';
export type { StoredBounds } from './candle-reader.store';
export { CandleSeriesService } from './candle-series.store';
export type { CandlePrice, CloseSeries, MidSeries } from './candle-series.store';
export { Candle } from './candle.entity';
export { CANDLE_PARTITIONS, CandleStore, addCounts, emptyCounts } from './candle.store';
export type { UpsertCounts } from './candle.store';
export { CandlesModule } from './candles.module';
export { GetCandlesQuery } from './dto/get-candles.query';
