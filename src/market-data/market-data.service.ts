import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../platform/config';
import {
  MARKET_DATA_PROVIDERS,
  type FetchCandlesParams,
  type MarketDataProvider,
  type PriceStreamEvent,
  type ProviderCandle,
  type ProviderInstrument,
  type SelfTestResult,
  type StreamPricesParams,
} from './market-data-provider.interface';

/**
 * The one entry point other modules use for market data: delegates to the
 * provider named by MARKET_DATA_PROVIDER (oanda | simulated), chosen once at
 * boot. Same signatures as the MarketDataProvider port.
 */
@Injectable()
export class MarketDataService {
  private readonly logger = new Logger(MarketDataService.name);
  private readonly provider: MarketDataProvider;

  constructor(@Inject(MARKET_DATA_PROVIDERS) providers: MarketDataProvider[], config: AppConfig) {
    const wanted = config.market.provider;
    const provider = providers.find((p) => p.name === wanted);
    if (!provider) {
      throw new Error(
        `MARKET_DATA_PROVIDER=${wanted} but no such provider is registered (have: ${providers
          .map((p) => p.name)
          .join(', ')})`,
      );
    }
    this.provider = provider;
    this.logger.log(`Market data from the ${provider.name} provider`);
  }

  get providerName(): 'oanda' | 'simulated' {
    return this.provider.name;
  }

  listInstruments(params: { instruments?: readonly string[] }): Promise<ProviderInstrument[]> {
    return this.provider.listInstruments(params);
  }

  fetchCandles(params: FetchCandlesParams): AsyncIterable<ProviderCandle[]> {
    return this.provider.fetchCandles(params);
  }

  streamPrices(params: StreamPricesParams): AsyncIterable<PriceStreamEvent> {
    return this.provider.streamPrices(params);
  }

  selfTest(params: { signal?: AbortSignal }): Promise<SelfTestResult> {
    return this.provider.selfTest(params);
  }
}
