import { Module } from '@nestjs/common';
import { AppConfig } from '../platform/config';
import { PrometheusService } from '../platform/observability';
import { MarketDataService } from './market-data.service';
import { MARKET_DATA_PROVIDER, type MarketDataProvider } from './market-data-provider.interface';
import { createProvider } from './providers';

/**
 * Builds the configured provider from the registry (providers.ts; the env
 * validation already refused an unknown name) behind MarketDataService, the
 * one entry point other modules use.
 */
@Module({
  providers: [
    {
      provide: MARKET_DATA_PROVIDER,
      useFactory: (config: AppConfig, metrics: PrometheusService): MarketDataProvider =>
        createProvider(config.market.provider, { config, metrics }),
      inject: [AppConfig, PrometheusService],
    },
    MarketDataService,
  ],
  exports: [MarketDataService],
})
export class MarketDataModule {}
