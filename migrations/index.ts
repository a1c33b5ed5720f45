import { InitialSchema1763700000000 } from './1763700000000-InitialSchema';
import { SeedColumnNames1764000000000 } from './1764000000000-SeedColumnNames';
import { PartitionPriceAudit1764000000001 } from './1764000000001-PartitionPriceAudit';
import { ApiKeys1764100000000 } from './1764100000000-ApiKeys';
import { Alerts1764200000000 } from './1764200000000-Alerts';
import { PartitionTimeSeries1764200000001 } from './1764200000001-PartitionTimeSeries';
import { CandleSummary1764300000000 } from './1764300000000-CandleSummary';
import { MetricsSummary1764500000000 } from './1764500000000-MetricsSummary';
import { BuiltinAlertRules1764600000000 } from './1764600000000-BuiltinAlertRules';

/**
 * Every migration, oldest first. Listed explicitly (not globbed) so the app,
 * the typeorm CLI, jest and the compiled build all load the same classes.
 * `npm run migration:generate` writes a new file: add its class here.
 */
export const MIGRATIONS = [
  InitialSchema1763700000000,
  SeedColumnNames1764000000000,
  PartitionPriceAudit1764000000001,
  ApiKeys1764100000000,
  Alerts1764200000000,
  PartitionTimeSeries1764200000001,
  // After the partitioning: its triggers must sit on the partitioned oanda_candles, not the old table.
  CandleSummary1764300000000,
  MetricsSummary1764500000000,
  BuiltinAlertRules1764600000000,
];
