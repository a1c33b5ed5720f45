import { Test } from '@nestjs/testing';
import { AppCacheService } from '../../src/cache/app-cache.service';
import { CacheKeys } from '../../src/cache/cache-keys';
import { CandleSeriesService, type CandlePrice } from '../../src/candles/candle-series.store';
import { CachedPrice, PricesService } from '../../src/prices/prices.service';
import { delay, edgeProviders, FakeRedisLink, testConfig } from './service-kit';

/** The candles store's latest-close lookup, counting its queries (each call is one SQL statement). */
class FakeLatestCandles {
  readonly calls: string[][] = [];
  constructor(readonly rows: Map<string, CandlePrice>) {}

  async latestClosePrices(instruments: readonly string[]): Promise<Map<string, CandlePrice>> {
    this.calls.push([...instruments]);
    await delay(20); // a real query takes a moment, so concurrent callers overlap
    return new Map([...this.rows].filter(([i]) => instruments.includes(i)));
  }
}

const candle = (instrument: string, bid: string, ask: string, mid: string): CandlePrice => ({
  instrument,
  bid,
  ask,
  mid,
  time: new Date('2026-02-02T09:00:00Z'),
});

describe('PricesService (service tier)', () => {
  let prices: PricesService;
  let cache: AppCacheService;
  let keys: CacheKeys;
  let reader: FakeLatestCandles;
  let redis: FakeRedisLink;

  beforeEach(async () => {
    reader = new FakeLatestCandles(
      new Map([
        ['EUR_USD', candle('EUR_USD', '1.0850', '1.0851', '1.08505')],
        ['USD_JPY', candle('USD_JPY', '150.120', '150.135', '150.1275')],
      ]),
    );
    redis = { isReady: true };
    const module = await Test.createTestingModule({
      providers: [
        ...edgeProviders(testConfig({ INSTRUMENTS: 'EUR_USD,USD_JPY,GBP_CAD' }), { redis }),
        { provide: CandleSeriesService, useValue: reader },
        PricesService,
      ],
    }).compile();
    prices = module.get(PricesService);
    cache = module.get(AppCacheService);
    keys = module.get(CacheKeys);
  });

  it('should answer the last candle close with source "candle" and an exact spread when no tick is cached', async () => {
    expect(await prices.current('USD_JPY')).toEqual({
      instrument: 'USD_JPY',
      bid: 150.12,
      ask: 150.135,
      mid: 150.1275,
      spread: 0.015,
      time: '2026-02-02T09:00:00.000Z',
      source: 'candle',
    });
    expect(reader.calls).toEqual([['USD_JPY']]);
  });

  it('should answer null for an instrument with neither a tick nor a candle, and not cache that', async () => {
    expect(await prices.current('GBP_CAD')).toBeNull();
    expect(await prices.current('GBP_CAD')).toBeNull();
    expect(reader.calls).toEqual([['GBP_CAD'], ['GBP_CAD']]);
  });

  // Moved from test/realtime-prices.e2e-spec.ts ("should refill the cache on a miss, so the next read is a hit").
  it('should refill the cache on a miss, so the next read is a hit', async () => {
    await prices.current('EUR_USD');
    await prices.current('EUR_USD');
    expect(cache.stats().price).toEqual({ hits: 1, misses: 1, errors: 0 });
    expect(reader.calls).toHaveLength(1);
    expect(await cache.get(keys.price('EUR_USD').key)).toMatchObject({ source: 'candle' });
  });

  it('should prefer a cached live tick over the candle', async () => {
    const tick: CachedPrice = {
      instrument: 'EUR_USD',
      bid: 1.1,
      ask: 1.1002,
      mid: 1.1001,
      time: '2026-02-02T10:15:00.000Z',
      source: 'stream',
    };
    await cache.set(keys.price('EUR_USD').key, tick, 60);
    expect(await prices.current('EUR_USD')).toEqual({ ...tick, spread: 0.0002 });
    expect(reader.calls).toHaveLength(0);
  });

  it('should load one key once for concurrent misses (single flight)', async () => {
    const answers = await Promise.all(Array.from({ length: 25 }, () => prices.current('EUR_USD')));
    expect(reader.calls).toEqual([['EUR_USD']]);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
  });

  // Moved from test/realtime-prices.e2e-spec.ts ("should load a key once for concurrent misses (single flight)").
  it('should load a key once for concurrent getOrLoad misses, then serve it from the cache', async () => {
    const key = keys.metrics('SINGLE_FLIGHT').key;
    let loads = 0;
    const loader = async () => {
      loads += 1;
      await delay(100);
      return { value: 42 };
    };
    const results = await Promise.all(
      Array.from({ length: 25 }, () => cache.getOrLoad(key, 60, loader)),
    );
    expect(loads).toBe(1);
    expect(results.every((r) => r.value === 42)).toBe(true);
    expect(await cache.getOrLoad(key, 60, loader)).toEqual({ value: 42 });
    expect(loads).toBe(1);
  });

  it('should list prices in configured order, loading every miss in ONE query and caching them', async () => {
    await prices.current('USD_JPY'); // cached now
    reader.calls.length = 0;
    const all = await prices.all();
    expect(all.map((p) => p.instrument)).toEqual(['EUR_USD', 'USD_JPY']);
    expect(all[0]).toMatchObject({ bid: 1.085, ask: 1.0851, spread: 0.0001, source: 'candle' });
    expect(reader.calls).toEqual([['EUR_USD', 'GBP_CAD']]);
    expect(await cache.get(keys.price('EUR_USD').key)).toMatchObject({ source: 'candle' });
    reader.calls.length = 0;
    await prices.all();
    expect(reader.calls).toEqual([['GBP_CAD']]);
  });

  it('should warm prices from candles without overwriting a live tick', async () => {
    const tick: CachedPrice = {
      instrument: 'USD_JPY',
      bid: 151,
      ask: 151.01,
      mid: 151.005,
      time: '2026-02-02T10:15:00.000Z',
      source: 'stream',
    };
    await cache.set(keys.price('USD_JPY').key, tick, 60);
    expect(await prices.warmFromCandles()).toBe(1);
    expect(await cache.get(keys.price('USD_JPY').key)).toEqual(tick);
    expect(await cache.get(keys.price('EUR_USD').key)).toMatchObject({
      instrument: 'EUR_USD',
      source: 'candle',
    });
  });

  it('should keep answering from the candles while Redis is down, counting errors, and refuse to warm', async () => {
    redis.isReady = false;
    expect(await prices.current('EUR_USD')).toMatchObject({ bid: 1.085, source: 'candle' });
    expect(await prices.current('EUR_USD')).toMatchObject({ bid: 1.085, source: 'candle' });
    expect(reader.calls).toHaveLength(2);
    expect(cache.stats().price).toEqual({ hits: 0, misses: 0, errors: 2 });
    await expect(prices.warmFromCandles()).rejects.toThrow(/Redis is not reachable/);
    redis.isReady = true;
    await prices.current('EUR_USD');
    await prices.current('EUR_USD');
    expect(cache.stats().price).toMatchObject({ hits: 1, misses: 1 });
  });
});
