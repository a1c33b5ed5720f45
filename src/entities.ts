import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from './platform/config/app-config';
import { buildDataSourceOptions } from './platform/database/data-source-options';
import { ApiKey } from './auth/api-key.entity';
import { BestPair } from './best-pairs/best-pair.entity';
import { Candle } from './candles/candle.entity';
import { Correlation } from './correlation/correlation.entity';
import { CronJobLog } from './platform/jobs/cron-job-log.entity';
import { PriceAudit } from './prices/price-audit.entity';
import { MarketSession } from './sessions/market-session.entity';
import { VolatilityMetric } from './volatility/volatility-metric.entity';
import { AlertEvent } from './alerts/alert-event.entity';
import { AlertRule } from './alerts/alert-rule.entity';
import { AlertWebhookOutbox } from './alerts/alert-webhook-outbox.entity';

/** Every entity of the seven tables; the DataSource registers exactly these. */
export const ENTITIES = [
  Candle,
  VolatilityMetric,
  Correlation,
  BestPair,
  PriceAudit,
  MarketSession,
  CronJobLog,
  ApiKey,
  AlertRule,
  AlertEvent,
  AlertWebhookOutbox,
];

/** TypeORM options of the app's DataSource, for the typeorm CLI (ormconfig.ts) and the schema tests. */
export function appDataSourceOptions(
  config: Pick<AppConfig, 'database' | 'app'>,
  url?: string,
): DataSourceOptions {
  return buildDataSourceOptions(config, ENTITIES, url);
}
