/** The public surface of volatility: other folders import only what is exported here. */
export { VolatilityMetric } from './volatility-metric.entity';
export { VolatilityModule } from './volatility.module';
export { VolatilityQueryService } from './volatility-query.service';
