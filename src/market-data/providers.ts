import { PROVIDER_NAMES, type ProviderName } from '../platform/config';
import type { MarketDataProvider } from './market-data-provider.interface';
import { OANDA_PROVIDER } from './oanda/oanda.definition';
import type { ProviderDefinition, ProviderDeps } from './provider-definition';
import { SIMULATED_PROVIDER } from './simulated/simulated.definition';

/**
 * Every market-data adapter. To add a provider: a folder with the adapter and
 * its ProviderDefinition, one line here, and its config section (its entry in
 * src/platform/config/market-data-providers.ts plus its variables in
 * env.validation.ts, AppConfig, .env.example and the README). The env
 * validation, the default choice and MarketDataModule read these two lists;
 * nothing else names a provider.
 */
export const PROVIDERS: readonly ProviderDefinition[] = [OANDA_PROVIDER, SIMULATED_PROVIDER];

/** Builds the configured provider (MarketDataModule, once at boot). */
export function createProvider(name: ProviderName, deps: ProviderDeps): MarketDataProvider {
  const definition = PROVIDERS.find((p) => p.name === name);
  // The env validation accepts only config-section names; an adapter missing from PROVIDERS is a wiring error.
  if (!definition) {
    throw new Error(
      `market-data provider ${name} has a config section but no adapter in src/market-data/providers.ts (adapters: ${PROVIDERS.map((p) => p.name).join(', ')}; config sections: ${PROVIDER_NAMES.join(', ')})`,
    );
  }
  return definition.create(deps);
}
