import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AlertsModule } from './alerts';
import { AuthModule } from './auth/auth.module';
import { BestPairsModule } from './best-pairs/best-pairs.module';
import { CacheModule } from './cache/cache.module';
import { CandlesModule } from './candles/candles.module';
import { AppConfigModule } from './config/config.module';
import { RawEnv } from './config/env.validation';
import { CorrelationModule } from './correlation/correlation.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './health/metrics/metrics.module';
import { JobsModule } from './jobs/jobs.module';
import { JobRunnerModule } from './jobs/runner/job-runner.module';
import { MarketDataModule } from './market-data/market-data.module';
import { PricesModule } from './prices/prices.module';
import { SessionsModule } from './sessions/sessions.module';
import { PubSubModule } from './streaming/pubsub.module';
import { StreamingModule } from './streaming/streaming.module';
import { VolatilityModule } from './volatility/volatility.module';

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
        MetricsModule,
        DatabaseModule,
        CacheModule,
        PubSubModule,
        JobRunnerModule,
        AuthModule,
        ScheduleModule.forRoot(),
        MarketDataModule,
        CandlesModule,
        VolatilityModule,
        CorrelationModule,
        BestPairsModule,
        SessionsModule,
        PricesModule,
        StreamingModule,
        JobsModule,
        AlertsModule,
        HealthModule,
      ],
    };
  }
}
