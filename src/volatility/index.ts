/** The public surface of volatility: other folders import only what is exported here. */
export { VolatilityMetric } from './volatility-metric.entity';
export { VolatilityModule } from './volatility.module';
export { METRIC_PARTITIONS, VolatilityMetricsStore } from './volatility-metrics.store';
export { VolatilityQueryService } from './volatility-query.service';
export type { MetricRange } from './volatility-metrics.store';
export { METRIC_COLUMNS } from './indicators';
