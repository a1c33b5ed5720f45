import { Module } from '@nestjs/common';
import { MarketDataService } from './market-data.service';
import { MARKET_DATA_PROVIDERS, type MarketDataProvider } from './market-data-provider.interface';
import { SimulatedMarketProvider } from './simulated/simulated-market.provider';

/**
 * Every provider is registered under MARKET_DATA_PROVIDERS; the facade picks
 * the configured one. Other modules import this module and use MarketDataService.
 */
@Module({
  providers: [
    SimulatedMarketProvider,
    {
      provide: MARKET_DATA_PROVIDERS,
      useFactory: (...providers: MarketDataProvider[]): MarketDataProvider[] => providers,
      inject: [SimulatedMarketProvider],
    },
    MarketDataService,
  ],
  exports: [MarketDataService],
})
export class MarketDataModule {}
