import type { ProviderDefinition } from '../provider-definition';
import { OandaMarketDataProvider } from './oanda.provider';

/** OANDA v20: REST for candles, the streaming host for live prices (config: the OANDA_* variables). */
export const OANDA_PROVIDER = {
  name: 'oanda',
  description: 'OANDA v20 REST and streaming API (needs OANDA_API_KEY)',
  defaultWhen: (env) => Boolean(env.OANDA_API_KEY),
  configProblems: (env) =>
    env.OANDA_API_KEY ? [] : ['OANDA_API_KEY: required when MARKET_DATA_PROVIDER=oanda'],
  create: ({ config, metrics }) => new OandaMarketDataProvider(config, metrics),
} as const satisfies ProviderDefinition;
