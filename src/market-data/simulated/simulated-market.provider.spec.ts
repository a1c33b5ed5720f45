import { AppConfig } from '../../platform/config';
import { averageDecimals } from '../decimal';
import {
  PermanentProviderError,
  type PriceStreamEvent,
  type ProviderCandle,
} from '../market-data-provider.interface';
import { SIMULATED_PAGE_SIZE, SimulatedMarketProvider } from './simulated-market.provider';

const config = (env: Record<string, string> = {}) =>
  AppConfig.fromEnv({
    MARKET_DATA_PROVIDER: 'simulated',
    INSTRUMENTS: 'EUR_USD,USD_JPY,GBP_USD',
    SIMULATED_TICK_INTERVAL_MS: '20',
    ...env,
  });

async function collect(pages: AsyncIterable<ProviderCandle[]>): Promise<ProviderCandle[][]> {
  const out: ProviderCandle[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe(SimulatedMarketProvider.name, () => {
  const provider = new SimulatedMarketProvider(config());

  it('should list the configured instruments with OANDA-style metadata', async () => {
    expect(await provider.listInstruments({})).toEqual([
      { name: 'EUR_USD', displayName: 'EUR/USD', displayPrecision: 5, pipLocation: -4 },
      { name: 'USD_JPY', displayName: 'USD/JPY', displayPrecision: 3, pipLocation: -2 },
      { name: 'GBP_USD', displayName: 'GBP/USD', displayPrecision: 5, pipLocation: -4 },
    ]);
    expect((await provider.listInstruments({ instruments: ['EUR_SEK'] }))[0].name).toBe('EUR_SEK');
  });

  it('should page long ranges in pages of at most 5000 candles', async () => {
    const pages = await collect(
      provider.fetchCandles({
        instrument: 'EUR_USD',
        granularity: 'H1',
        from: new Date(Date.parse('2024-01-01T00:00:00Z')),
        to: new Date(Date.parse('2026-01-01T00:00:00Z')),
      }),
    );
    expect(pages.length).toBeGreaterThan(2);
    expect(pages.every((p) => p.length <= SIMULATED_PAGE_SIZE)).toBe(true);
    const times = pages.flat().map((c) => c.time.getTime());
    expect(new Set(times).size).toBe(times.length);
    expect(times.every((t, i) => i === 0 || t > times[i - 1])).toBe(true);
  });

  it('should default `to` to now and never return future candles', async () => {
    const from = new Date(Date.now() - 10 * 86_400_000);
    const candles = (
      await collect(provider.fetchCandles({ instrument: 'USD_JPY', granularity: 'H1', from }))
    ).flat();
    expect(candles.length).toBeGreaterThan(100);
    expect(candles.every((c) => c.time.getTime() <= Date.now())).toBe(true);
    expect(candles.slice(0, -1).every((c) => c.complete)).toBe(true);
  });

  it('should reject bad input with a PermanentProviderError naming the field', async () => {
    const bad = async (params: Parameters<typeof provider.fetchCandles>[0]) =>
      collect(provider.fetchCandles(params));
    const from = new Date('2026-01-02T00:00:00Z');
    await expect(bad({ instrument: 'EURUSD', granularity: 'H1', from })).rejects.toThrow(
      /instrument must look like EUR_USD/,
    );
    await expect(
      bad({ instrument: 'EUR_USD', granularity: 'H7' as never, from }),
    ).rejects.toBeInstanceOf(PermanentProviderError);
    await expect(
      bad({ instrument: 'EUR_USD', granularity: 'H1', from, to: new Date('2026-01-01T00:00:00Z') }),
    ).rejects.toThrow(/from .* must not be after to/);
    await expect(
      bad({ instrument: 'EUR_USD', granularity: 'H1', from: new Date('nope') }),
    ).rejects.toThrow(/from must be a valid Date/);
  });

  it('should stop fetching when the signal aborts', async () => {
    const controller = new AbortController();
    const pages = provider.fetchCandles({
      instrument: 'EUR_USD',
      granularity: 'M1',
      from: new Date('2026-01-05T00:00:00Z'),
      to: new Date('2026-03-01T00:00:00Z'),
      signal: controller.signal,
    });
    let seen = 0;
    await expect(
      (async () => {
        for await (const page of pages) {
          seen += page.length;
          controller.abort();
        }
      })(),
    ).rejects.toThrow(/abort/i);
    expect(seen).toBe(SIMULATED_PAGE_SIZE);
  });

  it('should stream ticks for every instrument and end when the signal aborts', async () => {
    const controller = new AbortController();
    const events: PriceStreamEvent[] = [];
    setTimeout(() => controller.abort(), 150);
    for await (const event of provider.streamPrices({
      instruments: ['EUR_USD', 'USD_JPY'],
      signal: controller.signal,
    })) {
      events.push(event);
    }
    expect(events[0]).toEqual({ type: 'status', connected: true });
    const ticks = events.flatMap((e) => (e.type === 'price' ? [e.tick] : []));
    expect(ticks.filter((t) => t.instrument === 'EUR_USD').length).toBeGreaterThanOrEqual(3);
    expect(ticks.filter((t) => t.instrument === 'USD_JPY').length).toBeGreaterThanOrEqual(3);
    for (const t of ticks) {
      expect(Number(t.bid)).toBeLessThan(Number(t.ask));
      expect(t.mid).toBe(averageDecimals(t.bid, t.ask));
    }
  });

  it('should end the stream at once when started with an aborted signal', async () => {
    const events: PriceStreamEvent[] = [];
    for await (const e of provider.streamPrices({
      instruments: ['EUR_USD'],
      signal: AbortSignal.abort(),
    }))
      events.push(e);
    expect(events).toEqual([]);
  });

  it('should pass its self-test', async () => {
    const result = await provider.selfTest({});
    expect(result.ok).toBe(true);
    expect(result.provider).toBe('simulated');
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });
});
