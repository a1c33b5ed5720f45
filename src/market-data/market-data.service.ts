import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  MARKET_DATA_PROVIDER,
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
 * provider named by MARKET_DATA_PROVIDER (see providers.ts), chosen once at
 * boot. Same signatures as the MarketDataProvider port.
 */
@Injectable()
export class MarketDataService {
  private readonly logger = new Logger(MarketDataService.name);

  constructor(@Inject(MARKET_DATA_PROVIDER) private readonly provider: MarketDataProvider) {
    this.logger.log(`Market data from the ${provider.name} provider`);
  }

  get providerName(): string {
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
