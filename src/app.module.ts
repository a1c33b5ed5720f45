import { DynamicModule, Module } from '@nestjs/common';
import { ENTITIES } from './entities';
import { ScheduleModule } from '@nestjs/schedule';
import { AlertsModule } from './alerts';
import { AuthModule } from './auth';
import { BestPairsModule } from './best-pairs';
import { CacheModule } from './cache';
import { CandlesModule } from './candles';
import { IngestionModule } from './ingestion';
import { AppConfigModule } from './platform/config';
import { RawEnv } from './platform/config';
import { CorrelationModule } from './correlation';
import { DatabaseModule } from './platform/database';
import { HealthModule } from './health';
import { MetricsModule } from './platform/observability';
import { JobsModule } from './jobs';
import { JobRunnerModule } from './jobs';
import { MarketDataModule } from './market-data';
import { PricesModule } from './prices';
import { RetentionModule } from './retention';
import { SessionsModule } from './sessions';
import { PubSubModule } from './platform/pubsub';
import { StreamingModule } from './streaming';
import { VolatilityModule } from './volatility';

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
        DatabaseModule.forRoot(ENTITIES),
        CacheModule,
        PubSubModule,
        JobRunnerModule,
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
        HealthModule,
      ],
    };
  }
}
