import { createClient } from 'redis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppCacheService } from '../src/cache/app-cache.service';
import { CacheKeys } from '../src/cache/cache-keys';
import { CacheStatsService } from '../src/cache/cache-stats.service';
import { CacheWarmers } from '../src/cache/cache-warmers';
import { PriceAuditService } from '../src/prices/price-audit.store';
import { PriceStreamService } from '../src/prices/price-stream.service';
import { PricesController } from '../src/prices/prices.controller';
import { eventually, RecordingClient, sleep } from './utils/realtime-client';
import { RedisServerProcess } from './utils/redis-server';
import { startTestApp, TestApp } from './utils/test-app';
import { TEST_REDIS_URL } from './utils/test-env';

/** Stores one complete H1 candle per instrument (exact decimal strings), opened at `time`. */
async function storeCandles(
  ds: DataSource,
  time: string,
  rows: Array<[instrument: string, bid: string, ask: string, mid: string]>,
): Promise<void> {
  for (const [instrument, bid, ask, mid] of rows) {
    await ds.query(
      `INSERT INTO oanda_candles (instrument, time, granularity, open_bid, high_bid, low_bid, close_bid,
         open_ask, high_ask, low_ask, close_ask, open_mid, high_mid, low_mid, close_mid, volume, complete)
       VALUES ($1, $2, 'H1', $3, $3, $3, $3, $4, $4, $4, $4, $5, $5, $5, $5, 10, true)`,
      [instrument, time, bid, ask, mid],
    );
  }
}

const CANDLES: Array<[string, string, string, string]> = [
  ['EUR_USD', '1.0850', '1.0851', '1.08505'],
  ['USD_JPY', '150.120', '150.135', '150.1275'],
];

describe(PricesController.name, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({}, 'rt_prices');
    await storeCandles(t.dataSource, '2026-02-02T08:00:00Z', CANDLES);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('should serve the last candle close with source "candle" when no live tick is cached', async () => {
    const res = await request(t.url).get('/api/v1/prices/current?instrument=USD_JPY').expect(200);
    expect(res.body).toEqual({
      instrument: 'USD_JPY',
      bid: 150.12,
      ask: 150.135,
      mid: 150.1275,
      spread: 0.015,
      time: '2026-02-02T09:00:00.000Z',
      source: 'candle',
    });
  });

  it('should answer 400 naming the field for a missing or malformed instrument', async () => {
    const missing = await request(t.url).get('/api/v1/prices/current').expect(400);
    expect(JSON.stringify(missing.body.message)).toMatch(/instrument/);
    const bad = await request(t.url).get('/api/v1/prices/current?instrument=EURUSD').expect(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/instrument must be an OANDA instrument name/);
  });

  it('should answer 400 for a lower-case or padded instrument, like every other route', async () => {
    for (const name of ['usd_jpy', 'Usd_Jpy', '%20USD_JPY']) {
      const res = await request(t.url).get(`/api/v1/prices/current?instrument=${name}`).expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(/instrument .*upper case/);
    }
  });

  it('should answer 404 for an untracked instrument and for one without any price', async () => {
    const untracked = await request(t.url)
      .get('/api/v1/prices/current?instrument=ABC_DEF')
      .expect(404);
    expect(untracked.body.message).toMatch(/ABC_DEF is not tracked/);
    const unpriced = await request(t.url)
      .get('/api/v1/prices/current?instrument=GBP_CAD')
      .expect(404);
    expect(unpriced.body.message).toMatch(/no price for GBP_CAD/);
  });

  it('should list every instrument that has a price at /prices/all', async () => {
    const res = await request(t.url).get('/api/v1/prices/all').expect(200);
    expect(res.body.count).toBe(2);
    expect(res.body.prices.map((p: { instrument: string }) => p.instrument)).toEqual([
      'EUR_USD',
      'USD_JPY',
    ]);
    expect(res.body.prices[0]).toMatchObject({ bid: 1.085, ask: 1.0851, spread: 0.0001 });
  });

  it('should refill the cache on a miss, so the next read is a hit', async () => {
    const keys = t.app.get(CacheKeys);
    const cache = t.app.get(AppCacheService);
    await cache.del(keys.price('EUR_USD').key);
    const before = cache.stats().price ?? { hits: 0, misses: 0, errors: 0 };
    await request(t.url).get('/api/v1/prices/current?instrument=EUR_USD').expect(200);
    await request(t.url).get('/api/v1/prices/current?instrument=EUR_USD').expect(200);
    const after = cache.stats().price;
    expect(after.misses - before.misses).toBe(1);
    expect(after.hits - before.hits).toBe(1);
    expect(await cache.get(keys.price('EUR_USD').key)).toMatchObject({ source: 'candle' });
  });

  it('should load a key once for concurrent misses (single flight)', async () => {
    const cache = t.app.get(AppCacheService);
    const key = t.app.get(CacheKeys).metrics('SINGLE_FLIGHT').key;
    let loads = 0;
    const loader = async () => {
      loads += 1;
      await sleep(100);
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

  it('should report Redis memory, clients, keys per kind and hits/misses at /cache/stats', async () => {
    const res = await request(t.url).get('/api/v1/cache/stats').expect(200);
    expect(res.body.redis.status).toBe('up');
    expect(res.body.redis.used_memory_bytes).toBeGreaterThan(0);
    expect(res.body.redis.connected_clients).toBeGreaterThanOrEqual(3);
    expect(res.body.kinds.price.keys).toBe(2);
    expect(res.body.kinds.metrics.keys).toBe(1);
    expect(res.body.kinds.best_pairs.keys).toBe(0);
    expect(res.body.hits).toBeGreaterThanOrEqual(1);
    expect(res.body.misses).toBeGreaterThanOrEqual(1);
    expect(res.body.hit_ratio).toBeGreaterThan(0);
    expect(res.body.hit_ratio).toBeLessThan(1);
  });

  it('should clear only this service prefix and warm prices from the latest candles', async () => {
    const keys = t.app.get(CacheKeys);
    const other = createClient({ url: TEST_REDIS_URL });
    await other.connect();
    const foreign = `someone-else:${Date.now()}:price:EUR_USD`;
    try {
      await other.set(foreign, 'x', { EX: 60 });
      const deleted = await t.app.get(CacheStatsService).clear();
      expect(deleted.price).toBe(2);
      expect(deleted.metrics).toBe(1);
      expect(await other.exists(foreign)).toBe(1);
      expect(await other.exists(keys.price('EUR_USD').key)).toBe(0);

      const warmed = await t.app.get(CacheWarmers).warmAll(new AbortController().signal);
      expect(warmed).toContainEqual({ name: 'price', keys: 2 });
      expect(JSON.parse((await other.get(keys.price('USD_JPY').key)) ?? '{}')).toMatchObject({
        value: { instrument: 'USD_JPY', source: 'candle' },
      });
    } finally {
      await other.del(foreign);
      await other.close();
    }
  });

  it('should document the prices and cache routes in Swagger with their response schemas', async () => {
    const res = await request(t.url).get('/docs-json').expect(200);
    const ok = (path: string) => res.body.paths[path]?.get?.responses?.['200']?.content;
    for (const path of ['/api/v1/prices/current', '/api/v1/prices/all', '/api/v1/cache/stats'])
      expect(ok(path)).toBeDefined();
    expect(res.body.paths['/api/v1/prices/current'].get.responses['404']).toBeDefined();
    const schemas = res.body.components.schemas;
    expect(schemas.PriceResponseDto.properties.source.enum).toEqual(['stream', 'candle']);
    expect(schemas.CacheStatsResponse.properties.hit_ratio).toBeDefined();
  });

  it('should reject warming an unknown kind with the known ones named', async () => {
    await expect(
      t.app.get(CacheWarmers).warmAll(new AbortController().signal, ['nope']),
    ).rejects.toThrow(/unknown cache warmer\(s\): nope \(known: .*\bprice\b/);
  });
});

describe(PriceStreamService.name, () => {
  let t: TestApp;
  let client: RecordingClient | undefined;

  beforeAll(async () => {
    t = await startTestApp(
      { PRICE_STREAM_ENABLED: 'true', SIMULATED_TICK_INTERVAL_MS: '100' },
      'rt_stream',
    );
  });

  afterAll(async () => {
    client?.close();
    await t?.close();
  });

  it('should lead, stream every tracked instrument and report it in status()', async () => {
    const stream = t.app.get(PriceStreamService);
    const status = await eventually(() => {
      const s = stream.status();
      return Object.values(s.last_tick_age_ms).every((age) => age !== null) ? s : null;
    });
    expect(status.leader).toBe(true);
    expect(status.connected).toBe(true);
    expect(status.provider).toBe('simulated');
    expect(status.ticks_received).toBeGreaterThanOrEqual(20);
    expect(Object.keys(status.last_tick_age_ms)).toHaveLength(20);
  });

  it('should serve live prices with source "stream"', async () => {
    const res = await eventually(async () => {
      const r = await request(t.url).get('/api/v1/prices/current?instrument=GBP_USD');
      return r.status === 200 && r.body.source === 'stream' ? r : null;
    });
    expect(res.body.ask).toBeGreaterThan(res.body.bid);
    expect(res.body.mid).toBeCloseTo((res.body.bid + res.body.ask) / 2, 10);
    const all = await request(t.url).get('/api/v1/prices/all').expect(200);
    expect(all.body.count).toBe(20);
    expect(all.body.prices.every((p: { source: string }) => p.source === 'stream')).toBe(true);
  });

  it('should push price_update events to subscribed clients', async () => {
    client = await RecordingClient.connect(t.url);
    await client.request('subscription_confirmed', (s) =>
      s.emit('subscribe', { pairs: ['EUR_USD'] }),
    );
    const update = await client.waitFor('price_update');
    expect(update.instrument).toBe('EUR_USD');
    expect(update.price.ask).toBeGreaterThan(update.price.bid);
    expect(Date.parse(update.timestamp)).not.toBeNaN();
    await client.waitFor('price_update', () => client!.of('price_update').length >= 3);
    expect(new Set(client.of('price_update').map((p) => p.instrument))).toEqual(
      new Set(['EUR_USD']),
    );
  });

  it('should write ticks to the audit table in batches', async () => {
    const audit = t.app.get(PriceAuditService);
    await eventually(() => audit.stats().written >= 40);
    const rows = await t.dataSource.query(
      `SELECT count(*)::int AS n, count(DISTINCT instrument)::int AS instruments FROM real_time_prices_audit`,
    );
    expect(rows[0].n).toBeGreaterThanOrEqual(40);
    expect(rows[0].instruments).toBe(20);
    const [sample] = await t.dataSource.query(
      `SELECT bid::text, ask::text, mid::text FROM real_time_prices_audit WHERE instrument = 'EUR_USD' LIMIT 1`,
    );
    expect(Number(sample.ask)).toBeGreaterThan(Number(sample.bid));
  });
});

describe(`${AppCacheService.name} with Redis down`, () => {
  let redis: RedisServerProcess;
  let t: TestApp;

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
    t = await startTestApp({ REDIS_URL: redis.url }, 'rt_redis_down');
    await storeCandles(t.dataSource, '2026-02-02T08:00:00Z', CANDLES);
  });

  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('should refill the cache after Redis was flushed', async () => {
    await request(t.url).get('/api/v1/prices/current?instrument=EUR_USD').expect(200);
    const raw = createClient({ url: redis.url });
    await raw.connect();
    try {
      await raw.flushAll();
      expect(await raw.dbSize()).toBe(0);
      const res = await request(t.url).get('/api/v1/prices/current?instrument=EUR_USD');
      expect(res.status).toBe(200);
      expect(res.body.source).toBe('candle');
      expect(await raw.exists(t.app.get(CacheKeys).price('EUR_USD').key)).toBe(1);
    } finally {
      await raw.close();
    }
  });

  it('should answer from PostgreSQL instead of hanging when Redis stops answering', async () => {
    await request(t.url).get('/api/v1/prices/current?instrument=USD_JPY').expect(200);
    const before = t.app.get(AppCacheService).stats().price.errors;
    redis.pause();
    try {
      const res = await request(t.url).get('/api/v1/prices/current?instrument=USD_JPY');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ instrument: 'USD_JPY', source: 'candle' });
      expect(t.app.get(AppCacheService).stats().price.errors).toBeGreaterThan(before);
    } finally {
      redis.resume();
    }
  });

  it('should keep answering prices from PostgreSQL while Redis is down', async () => {
    await redis.stop();
    const res = await request(t.url).get('/api/v1/prices/current?instrument=USD_JPY').expect(200);
    expect(res.body).toMatchObject({ instrument: 'USD_JPY', bid: 150.12, source: 'candle' });
    const all = await request(t.url).get('/api/v1/prices/all').expect(200);
    expect(all.body.count).toBe(2);
    expect(t.app.get(AppCacheService).stats().price.errors).toBeGreaterThan(0);
  });

  it('should report Redis as down at /cache/stats instead of failing', async () => {
    const res = await request(t.url).get('/api/v1/cache/stats').expect(200);
    expect(res.body.redis.status).toBe('down');
    expect(res.body.kinds.price.keys).toBeNull();
    expect(res.body.errors).toBeGreaterThan(0);
  });

  it('should use the cache again once Redis is back', async () => {
    await redis.start();
    const cache = t.app.get(AppCacheService);
    await eventually(() => cache.available, 15_000);
    await request(t.url).get('/api/v1/prices/current?instrument=USD_JPY').expect(200);
    // The stats use the main connection, which reconnects on its own backoff schedule.
    const res = await eventually(async () => {
      const r = await request(t.url).get('/api/v1/cache/stats').expect(200);
      return r.body.redis.status === 'up' ? r : null;
    }, 15_000);
    expect(res.body.kinds.price.keys).toBe(1);
  }, 30_000);
});
