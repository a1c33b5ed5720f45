import { DynamicModule, Module } from '@nestjs/common';
import { ENTITIES } from './entities';
import { ScheduleModule } from '@nestjs/schedule';
import { AuthModule } from './auth/auth.module';
import { BestPairsModule } from './best-pairs/best-pairs.module';
import { CacheModule } from './cache/cache.module';
import { CandlesModule } from './candles/candles.module';
import { IngestionModule } from './ingestion/ingestion.module';
import { AppConfigModule } from './platform/config/config.module';
import { RawEnv } from './platform/config/env.validation';
import { CorrelationModule } from './correlation/correlation.module';
import { ExportModule } from './export/export.module';
import { DatabaseModule } from './platform/database/database.module';
import { HealthModule } from './health/health.module';
import { ObservabilityModule } from './platform/observability/observability.module';
import { JobsModule } from './jobs/jobs.module';
import { JOB_DEFINITIONS } from './platform/config/job-definitions';
import { JobRunnerModule } from './platform/jobs/job-runner.module';
import { MarketDataModule } from './market-data/market-data.module';
import { PricesModule } from './prices/prices.module';
import { RetentionModule } from './retention/retention.module';
import { SessionsModule } from './sessions/sessions.module';
import { PubSubModule } from './platform/pubsub/pubsub.module';
import { RedisModule } from './platform/redis/redis.module';
import { StreamingModule } from './streaming/streaming.module';
import { VolatilityModule } from './volatility/volatility.module';
import { AlertsModule } from './alerts/alerts.module';

/**
 * The whole service. `overrides` are extra env variables on top of
 * process.env (tests, the CLI), validated like the rest.
 */
@Module({})
export class AppModule {
  static forRoot(overrides: RawEnv = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(overrides),
        ObservabilityModule,
        DatabaseModule.forRoot(ENTITIES),
        RedisModule,
        CacheModule,
        PubSubModule,
        JobRunnerModule.forRoot(JOB_DEFINITIONS),
        AuthModule,
        ScheduleModule.forRoot(),
        MarketDataModule,
        CandlesModule,
        IngestionModule,
        VolatilityModule,
        CorrelationModule,
        BestPairsModule,
        SessionsModule,
        PricesModule,
        StreamingModule,
        JobsModule,
        AlertsModule,
        RetentionModule,
        ExportModule,
        HealthModule,
      ],
    };
  }
}
