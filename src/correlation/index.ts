/** The public surface of correlation: other folders import only what is exported here. */
export { calculationDay } from './calculation-day';
export {
  BEST_PAIR_CATEGORIES,
  DEFAULT_THRESHOLDS,
  categorise,
  formatR,
  sharedCurrencies,
} from './categorise';
export type { BestPairCategory, CategoryThresholds } from './categorise';
export { CorrelationQueryService } from './correlation-query.service';
export { resolveWindow } from './correlation-windows';
export { Correlation } from './correlation.entity';
export { CorrelationModule } from './correlation.module';
export { CorrelationService } from './correlation.service';
export { CorrelationMatrixQuery, MAX_CORRELATION_WINDOW } from './dto/correlation.dto';
export { CorrelationStore } from './correlation.store';
export type { CorrelationKey, CorrelationPageFilter } from './correlation.store';
