/** The public surface of prices: other folders import only what is exported here. */
export { ensureAuditPartitions } from './audit-partitions';
export { PriceAuditService } from './price-audit.store';
export { PriceAudit } from './price-audit.entity';
export { PriceStreamService } from './price-stream.service';
export { PricesModule } from './prices.module';
export { PriceTickHooks } from './price-tick-hooks';
export type { PriceTickHook } from './price-tick-hooks';
