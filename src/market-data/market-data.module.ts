import { Module } from '@nestjs/common';
import { MarketDataService } from './market-data.service';
import { MARKET_DATA_PROVIDERS, type MarketDataProvider } from './market-data-provider.interface';
import { OandaMarketDataProvider } from './oanda/oanda.provider';
import { SimulatedMarketProvider } from './simulated/simulated-market.provider';

/**
 * Every provider is registered under MARKET_DATA_PROVIDERS; the facade picks
 * the configured one. Other modules import this module and use MarketDataService.
 * Constructing the OANDA provider is free (no connection until first use), so
 * both are always registered.
 */
@Module({
  providers: [
    SimulatedMarketProvider,
    OandaMarketDataProvider,
    {
      provide: MARKET_DATA_PROVIDERS,
      useFactory: (...providers: MarketDataProvider[]): MarketDataProvider[] => providers,
      inject: [SimulatedMarketProvider, OandaMarketDataProvider],
    },
    MarketDataService,
  ],
  exports: [MarketDataService],
})
export class MarketDataModule {}
