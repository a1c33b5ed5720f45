import type { EnvironmentVariables } from './env.validation';

/**
 * Each market-data provider's config section: the MARKET_DATA_PROVIDER value
 * that selects it, when it is the default, and what its variables must hold.
 * Its adapter is in its folder under src/market-data/ and is listed in
 * src/market-data/providers.ts under the same name (a test and the type
 * checker keep the two lists equal). The config validates the choice here
 * because the platform imports no feature.
 */
export interface ProviderConfigSection {
  readonly name: string;
  /** One line for errors and docs. */
  readonly description: string;
  /** Whether it is the one to use while MARKET_DATA_PROVIDER is unset; asked in list order, first yes wins. */
  readonly defaultWhen: (env: EnvironmentVariables) => boolean;
  /** What is wrong with its variables when it is the selected provider. */
  readonly configProblems: (env: EnvironmentVariables) => string[];
}

export const PROVIDER_CONFIGS = [
  {
    name: 'oanda',
    description: 'OANDA v20 REST and streaming API (OANDA_* variables)',
    defaultWhen: (env) => Boolean(env.OANDA_API_KEY),
    configProblems: (env) =>
      env.OANDA_API_KEY ? [] : ['OANDA_API_KEY: required when MARKET_DATA_PROVIDER=oanda'],
  },
  {
    name: 'simulated',
    description: 'built-in simulated market, no network (SIMULATED_* variables)',
    // The fallback: always usable, so it stays last.
    defaultWhen: () => true,
    configProblems: () => [],
  },
] as const satisfies readonly ProviderConfigSection[];

export type ProviderName = (typeof PROVIDER_CONFIGS)[number]['name'];

export const PROVIDER_NAMES: readonly ProviderName[] = PROVIDER_CONFIGS.map((p) => p.name);

export function isProviderName(name: string): name is ProviderName {
  return (PROVIDER_NAMES as readonly string[]).includes(name);
}

/** The provider MARKET_DATA_PROVIDER names, or the default one for this environment. */
export function selectProvider(env: EnvironmentVariables): ProviderName {
  const chosen = env.MARKET_DATA_PROVIDER;
  if (chosen !== undefined && isProviderName(chosen)) return chosen;
  const fallback = PROVIDER_CONFIGS.find((p) => p.defaultWhen(env));
  // The simulated market's defaultWhen is always true; a list without such an entry is a programming error.
  if (!fallback) throw new Error('no market-data provider is the default for this environment');
  return fallback.name;
}

/** Env problems about the provider choice: an unknown name (listing the valid ones) or the chosen one's section. */
export function providerProblems(env: EnvironmentVariables): string[] {
  const chosen = env.MARKET_DATA_PROVIDER;
  if (chosen !== undefined && !isProviderName(chosen)) {
    return [
      `MARKET_DATA_PROVIDER=${JSON.stringify(chosen.slice(0, 40))}: unknown provider; valid providers: ${PROVIDER_NAMES.join(', ')}`,
    ];
  }
  const section: ProviderConfigSection = PROVIDER_CONFIGS.find(
    (p) => p.name === selectProvider(env),
  )!;
  return section.configProblems(env);
}
