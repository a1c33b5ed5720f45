import type { AppConfig, ProviderName } from '../platform/config';
import type { PrometheusService } from '../platform/observability';
import type { MarketDataProvider } from './market-data-provider.interface';

/** What a provider gets when it is built: the validated config and the Prometheus metrics. */
export interface ProviderDeps {
  readonly config: AppConfig;
  readonly metrics: PrometheusService;
}

/**
 * A market-data adapter as the registry (providers.ts) knows it. Each provider
 * folder exports one. Its name, default rule and config checks are its config
 * section (src/platform/config/market-data-providers.ts), which the env
 * validation reads.
 */
export interface ProviderDefinition {
  /** The MARKET_DATA_PROVIDER value that selects it. */
  readonly name: ProviderName;
  /**
   * Builds it once at boot, only when it is the configured provider. Must
   * not connect anywhere yet: the first call does.
   */
  readonly create: (deps: ProviderDeps) => MarketDataProvider;
}
