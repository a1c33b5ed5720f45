import type { ProviderDefinition } from '../provider-definition';
import { OandaMarketDataProvider } from './oanda.provider';

/** OANDA v20: REST for candles, the streaming host for live prices (config: the OANDA_* variables). */
export const OANDA_PROVIDER: ProviderDefinition = {
  name: 'oanda',
  create: ({ config, metrics }) => new OandaMarketDataProvider(config, metrics),
};
