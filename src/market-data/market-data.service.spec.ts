import { AppConfig } from '../platform/config';
import { PrometheusService } from '../platform/observability';
import { MarketDataService } from './market-data.service';
import { createProvider } from './providers';

describe(MarketDataService.name, () => {
  const build = (env: Record<string, string>) => {
    const config = AppConfig.fromEnv({ INSTRUMENTS: 'EUR_USD', ...env });
    const metrics = new PrometheusService();
    return new MarketDataService(createProvider(config.market.provider, { config, metrics }));
  };

  it('should default to the simulated market without an OANDA key and delegate to it', async () => {
    const service = build({ OANDA_API_KEY: '' });
    expect(service.providerName).toBe('simulated');
    expect((await service.selfTest({})).provider).toBe('simulated');
    const pages = [];
    for await (const page of service.fetchCandles({
      instrument: 'EUR_USD',
      granularity: 'H1',
      from: new Date('2026-01-05T00:00:00Z'),
      to: new Date('2026-01-05T05:00:00Z'),
    }))
      pages.push(page);
    expect(pages.flat()).toHaveLength(5);
  });

  it('should pick OANDA when configured', () => {
    expect(build({ MARKET_DATA_PROVIDER: 'oanda', OANDA_API_KEY: 'k' }).providerName).toBe('oanda');
    expect(build({ OANDA_API_KEY: 'k' }).providerName).toBe('oanda');
  });

  it('should use the simulated market when asked to, even with an OANDA key', () => {
    expect(build({ MARKET_DATA_PROVIDER: 'simulated', OANDA_API_KEY: 'k' }).providerName).toBe(
      'simulated',
    );
  });
});
