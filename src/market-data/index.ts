/** The public surface of market-data: other folders import only what is exported here. */
export type {
  Ohlc,
  PriceStreamEvent,
  PriceTick,
  ProviderCandle,
} from './market-data-provider.interface';
export { MarketDataModule } from './market-data.module';
export { MarketDataService } from './market-data.service';
