import { AppConfig } from '../platform/config/app-config';
import { InvalidEnvironmentError, validateEnv } from '../platform/config/env.validation';
import {
  PROVIDER_CONFIGS,
  PROVIDER_NAMES,
  providerProblems,
  selectProvider,
} from '../platform/config/market-data-providers';
import { PrometheusService } from '../platform/observability';
import { createProvider, PROVIDERS } from './providers';

describe('market-data provider registry', () => {
  it('should have one adapter per config section, under the same names, simulated last', () => {
    expect(PROVIDERS.map((p) => p.name)).toEqual([...PROVIDER_NAMES]);
    expect(PROVIDER_NAMES).toEqual(['oanda', 'simulated']);
    expect(PROVIDER_CONFIGS.at(-1)!.defaultWhen(validateEnv({}))).toBe(true);
  });

  it('should refuse an unknown provider at boot, naming the valid ones', () => {
    let error: unknown;
    try {
      AppConfig.fromEnv({ MARKET_DATA_PROVIDER: 'bloomberg' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    expect((error as InvalidEnvironmentError).problems).toEqual([
      'MARKET_DATA_PROVIDER="bloomberg": unknown provider; valid providers: oanda, simulated',
    ]);
  });

  it('should check only the chosen provider’s config section', () => {
    expect(() => validateEnv({ MARKET_DATA_PROVIDER: 'oanda' })).toThrow(
      'OANDA_API_KEY: required when MARKET_DATA_PROVIDER=oanda',
    );
    expect(providerProblems(validateEnv({ MARKET_DATA_PROVIDER: 'simulated' }))).toEqual([]);
  });

  it('should pick OANDA by default only with an API key, else the simulated market', () => {
    expect(selectProvider(validateEnv({}))).toBe('simulated');
    expect(selectProvider(validateEnv({ OANDA_API_KEY: 'k' }))).toBe('oanda');
    expect(
      selectProvider(validateEnv({ OANDA_API_KEY: 'k', MARKET_DATA_PROVIDER: 'simulated' })),
    ).toBe('simulated');
  });

  it('should build every registered provider under its own name, without connecting', () => {
    const config = AppConfig.fromEnv({ OANDA_API_KEY: 'k', INSTRUMENTS: 'EUR_USD' });
    const metrics = new PrometheusService();
    for (const name of PROVIDER_NAMES) {
      expect(createProvider(name, { config, metrics }).name).toBe(name);
    }
  });
});
