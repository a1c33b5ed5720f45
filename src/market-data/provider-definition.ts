import type { AppConfig } from '../config/app-config';
import type { EnvironmentVariables } from '../config/env.validation';
import type { MetricsService } from '../health/metrics/metrics.service';
import type { MarketDataProvider } from './market-data-provider.interface';

/** What a provider gets when it is built: the validated config and the Prometheus metrics. */
export interface ProviderDeps {
  readonly config: AppConfig;
  readonly metrics: MetricsService;
}

/**
 * A market-data provider as the registry (providers.ts) knows it. Each
 * provider folder exports one; nothing else in the code names a provider.
 *
 * Keep the file that exports it free of Nest decorators and of value imports
 * of the config: the environment validation loads the registry, so a provider
 * that imported AppConfig at run time would close an import cycle. Take
 * config and metrics through `create` instead.
 */
export interface ProviderDefinition {
  /** The MARKET_DATA_PROVIDER value that selects it. */
  readonly name: string;
  /** One line for errors and docs. */
  readonly description: string;
  /**
   * Whether it is the one to use while MARKET_DATA_PROVIDER is unset. The
   * registry asks in list order; the first that says yes wins.
   */
  readonly defaultWhen: (env: EnvironmentVariables) => boolean;
  /** What is wrong with its config section, when it is the selected provider ("OANDA_API_KEY: required ..."). */
  readonly configProblems: (env: EnvironmentVariables) => string[];
  /** Builds it once at boot. Must not connect anywhere yet: the first call does. */
  readonly create: (deps: ProviderDeps) => MarketDataProvider;
}
