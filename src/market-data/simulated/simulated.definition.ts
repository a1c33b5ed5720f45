import type { ProviderDefinition } from '../provider-definition';
import { SimulatedMarketProvider } from './simulated-market.provider';

/** The built-in deterministic market (config: SIMULATED_SEED, SIMULATED_TICK_INTERVAL_MS). */
export const SIMULATED_PROVIDER: ProviderDefinition = {
  name: 'simulated',
  create: ({ config }) => new SimulatedMarketProvider(config),
};
