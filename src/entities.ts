import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from './platform/config';
import { buildDataSourceOptions } from './platform/database';
import { ApiKey } from './auth';
import { BestPair } from './best-pairs';
import { Candle } from './candles';
import { Correlation } from './correlation';
import { CronJobLog } from './jobs';
import { PriceAudit } from './prices';
import { MarketSession } from './sessions';
import { VolatilityMetric } from './volatility';
import { AlertEvent, AlertRule, AlertWebhookOutbox } from './alerts';

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
