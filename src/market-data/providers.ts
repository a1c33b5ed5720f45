import type { EnvironmentVariables } from '../config/env.validation';
import type { MarketDataProvider } from './market-data-provider.interface';
import { OANDA_PROVIDER } from './oanda/oanda.definition';
import type { ProviderDefinition, ProviderDeps } from './provider-definition';
import { SIMULATED_PROVIDER } from './simulated/simulated.definition';

/**
 * Every market-data provider. To add one: a folder with the adapter and its
 * ProviderDefinition, its env variables in the config (env.validation.ts,
 * AppConfig, .env.example, README), and one line here.
 *
 * Order matters only while MARKET_DATA_PROVIDER is unset: the first provider
 * whose `defaultWhen` holds is used (OANDA when OANDA_API_KEY is set, else the
 * simulated market, which always says yes: keep it last).
 */
export const PROVIDERS = [
  OANDA_PROVIDER,
  SIMULATED_PROVIDER,
] as const satisfies readonly ProviderDefinition[];

export type ProviderName = (typeof PROVIDERS)[number]['name'];

export const PROVIDER_NAMES: readonly ProviderName[] = PROVIDERS.map((p) => p.name);

export function isProviderName(name: string): name is ProviderName {
  return (PROVIDER_NAMES as readonly string[]).includes(name);
}

/** The provider MARKET_DATA_PROVIDER names, or the default one for this environment. */
export function selectProvider(env: EnvironmentVariables): ProviderName {
  const chosen = env.MARKET_DATA_PROVIDER;
  if (chosen !== undefined && isProviderName(chosen)) return chosen;
  const fallback = PROVIDERS.find((p) => p.defaultWhen(env));
  // The simulated market's defaultWhen is always true; a list without such a provider is a programming error.
  if (!fallback) throw new Error('no market-data provider is the default for this environment');
  return fallback.name;
}

/** Env problems about the provider choice: an unknown name (listing the valid ones) or the chosen one's config. */
export function providerProblems(env: EnvironmentVariables): string[] {
  const chosen = env.MARKET_DATA_PROVIDER;
  if (chosen !== undefined && !isProviderName(chosen)) {
    return [
      `MARKET_DATA_PROVIDER=${JSON.stringify(chosen.slice(0, 40))}: unknown provider; valid providers: ${PROVIDER_NAMES.join(', ')}`,
    ];
  }
  return providerDefinition(selectProvider(env)).configProblems(env);
}

export function providerDefinition(name: ProviderName): ProviderDefinition {
  // ProviderName comes from PROVIDERS, so the entry exists.
  return PROVIDERS.find((p) => p.name === name)!;
}

/** Builds the configured provider (MarketDataModule calls this once at boot). */
export function createProvider(name: ProviderName, deps: ProviderDeps): MarketDataProvider {
  return providerDefinition(name).create(deps);
}
