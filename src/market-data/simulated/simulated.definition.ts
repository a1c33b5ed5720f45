import type { ProviderDefinition } from '../provider-definition';
import { SimulatedMarketProvider } from './simulated-market.provider';

/** The built-in deterministic market (config: SIMULATED_SEED, SIMULATED_TICK_INTERVAL_MS). */
export const SIMULATED_PROVIDER = {
  name: 'simulated',
  description: 'built-in simulated market, no network (the default without OANDA_API_KEY)',
  // The fallback: always usable, so the registry lists it last.
  defaultWhen: () => true,
  configProblems: () => [],
  create: ({ config }) => new SimulatedMarketProvider(config),
} as const satisfies ProviderDefinition;
