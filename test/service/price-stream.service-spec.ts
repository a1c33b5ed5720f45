import type { TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppCacheService } from '../../src/cache/app-cache.service';
import { CacheKeys } from '../../src/cache/cache-keys';
import { AppConfig } from '../../src/platform/config/app-config';
import { DEFAULT_INSTRUMENTS } from '../../src/platform/config/instruments';
import type {
  PriceStreamEvent,
  PriceTick,
  StreamPricesParams,
} from '../../src/market-data/market-data-provider.interface';
import { MarketDataService } from '../../src/market-data/market-data.service';
import { PriceAuditService } from '../../src/prices/price-audit.store';
import { PRICE_STREAM_LOCK, PriceStreamService } from '../../src/prices/price-stream.service';
import { PriceTickHooks } from '../../src/prices/price-tick-hooks';
import { waitFor } from '../utils/wait-for';
import {
  compileService,
  edgeProviders,
  FakePriceDataSource,
  RecordingPubSub,
  testConfig,
} from './service-kit';

/**
 * The market-data edge: a provider stream the test feeds event by event (or
 * makes fail). Each streamPrices() call is one connection of the provider.
 */
class ScriptedPriceFeed {
  readonly providerName = 'simulated' as const;
  opened = 0;
  instruments: readonly string[] = [];
  private readonly queue: Array<PriceStreamEvent | Error> = [];
  private wake: (() => void) | undefined;

  push(...events: Array<PriceStreamEvent | Error>): void {
    this.queue.push(...events);
    this.wake?.();
  }

  async *streamPrices({
    instruments,
    signal,
  }: StreamPricesParams): AsyncIterable<PriceStreamEvent> {
    this.opened += 1;
    this.instruments = instruments;
    while (!signal.aborted) {
      const next = this.queue.shift();
      if (next instanceof Error) throw next;
      if (next) {
        yield next;
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }
}

const tick = (instrument: string, bid: string, ask: string, time: Date): PriceStreamEvent => ({
  type: 'price',
  tick: {
    instrument,
    bid,
    ask,
    mid: ((Number(bid) + Number(ask)) / 2).toFixed(6),
    time,
  } satisfies PriceTick,
});

describe('PriceStreamService (service tier)', () => {
  let module: TestingModule | undefined;
  let feed: ScriptedPriceFeed;
  let pubsub: RecordingPubSub;
  let db: FakePriceDataSource;
  let config: AppConfig;

  async function start(env: Record<string, string> = {}): Promise<PriceStreamService> {
    feed = new ScriptedPriceFeed();
    pubsub = new RecordingPubSub();
    db = new FakePriceDataSource();
    config = testConfig({
      PRICE_STREAM_ENABLED: 'true',
      INSTRUMENTS: 'EUR_USD,USD_JPY,GBP_CAD',
      ...env,
    });
    module = await compileService({
      providers: [
        ...edgeProviders(config, { pubsub }),
        { provide: DataSource, useValue: db },
        { provide: MarketDataService, useValue: feed },
        PriceAuditService,
        PriceStreamService,
        PriceTickHooks,
      ],
    });
    return module.get(PriceStreamService);
  }

  afterEach(async () => {
    await module?.close();
    module = undefined;
  });

  it('should take the lock, cache each tick as price:<I>, publish price_updates and report it in status()', async () => {
    const stream = await start();
    await waitFor(() => feed.opened === 1, { what: 'the provider stream to open' });
    expect(stream.isLeader).toBe(true);
    expect(db.locks.holders.has(PRICE_STREAM_LOCK)).toBe(true);
    expect(feed.instruments).toEqual(['EUR_USD', 'USD_JPY', 'GBP_CAD']);

    feed.push(
      tick('EUR_USD', '1.08500', '1.08510', new Date('2026-02-02T10:00:00.100Z')),
      tick('USD_JPY', '150.120', '150.135', new Date('2026-02-02T10:00:00.200Z')),
    );
    const updates = await waitFor(
      () => pubsub.on('price_updates').length === 2 && pubsub.on('price_updates'),
      { what: 'two price_updates' },
    );
    expect(updates[0]).toMatchObject({
      instrument: 'EUR_USD',
      price: { bid: 1.085, ask: 1.0851, mid: 1.08505, time: '2026-02-02T10:00:00.100Z' },
    });
    expect(Number.isNaN(Date.parse(updates[0].timestamp))).toBe(false);
    // On this deployment's prefixed channel, which every instance's subscriber listens to.
    expect(pubsub.sent[0].channel).toBe(`${config.redis.keyPrefix}price_updates`);
    const keys = module!.get(CacheKeys);
    expect(await module!.get(AppCacheService).get(keys.price('USD_JPY').key)).toEqual({
      instrument: 'USD_JPY',
      bid: 150.12,
      ask: 150.135,
      mid: 150.1275,
      time: '2026-02-02T10:00:00.200Z',
      source: 'stream',
    });
    const status = stream.status();
    expect(status).toMatchObject({
      enabled: true,
      leader: true,
      connected: true,
      provider: 'simulated',
      ticks_received: 2,
      restarts: 0,
    });
    expect(status.last_tick_age_ms.EUR_USD).toEqual(expect.any(Number));
    expect(status.last_tick_age_ms.GBP_CAD).toBeNull();
  });

  it('should neither lead nor stream with PRICE_STREAM_ENABLED=false', async () => {
    const stream = await start({ PRICE_STREAM_ENABLED: 'false' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(feed.opened).toBe(0);
    expect(db.locks.holders.size).toBe(0);
    expect(stream.status()).toMatchObject({ enabled: false, leader: false, connected: false });
  });

  it('should follow the provider heartbeats and status events in connected', async () => {
    const stream = await start();
    await waitFor(() => feed.opened === 1);
    feed.push({ type: 'status', connected: false, reason: 'provider closed the stream' });
    await waitFor(() => !stream.status().connected, { what: 'disconnected' });
    feed.push({ type: 'heartbeat', time: new Date() });
    await waitFor(() => stream.status().connected, { what: 'connected after a heartbeat' });
    expect(stream.status().last_heartbeat_at).not.toBeNull();
    expect(stream.status().ticks_received).toBe(0);
  });

  it('should restart a failed provider stream after a backoff, counting the restart', async () => {
    const stream = await start();
    await waitFor(() => feed.opened === 1);
    feed.push(new Error('socket hang up'));
    await waitFor(() => stream.status().restarts === 1, { what: 'the restart to be counted' });
    expect(stream.status().connected).toBe(false);
    // The first backoff is 1 s (+ up to 250 ms jitter); then the provider is opened again.
    await waitFor(() => feed.opened === 2, { timeout: 5_000, what: 'the stream to reopen' });
    feed.push(tick('EUR_USD', '1.1', '1.1002', new Date()));
    await waitFor(() => pubsub.on('price_updates').length === 1);
    expect(stream.status()).toMatchObject({ leader: true, restarts: 1, ticks_received: 1 });
  });

  it('should stay a follower while another session holds the lock, and take over once it is freed', async () => {
    const stream = await start();
    // start() made a fresh lock server and the service got there first: step it down by handing the lock away.
    await waitFor(() => stream.isLeader);
    db.locks.killHolder(PRICE_STREAM_LOCK);
    const other = db.createQueryRunner();
    await other.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [
      0,
      PRICE_STREAM_LOCK,
    ]);
    await waitFor(() => !stream.isLeader, { timeout: 5_000, what: 'the step-down' });
    expect(stream.status()).toMatchObject({ leader: false, connected: false });
    const opened = feed.opened;
    await other.release();
    await waitFor(() => stream.isLeader, { timeout: 5_000, what: 'the takeover' });
    expect(stream.timesElected).toBe(2);
    await waitFor(() => feed.opened === opened + 1, { what: 'the stream to reopen' });
  });

  // Moved from test/audit-partitions.e2e-spec.ts ("live-price audit sampling"): the rows the
  // service hands to PostgreSQL, from ticks whose times the test sets (no waiting on a clock).
  it('should audit at most one row per instrument per second, the last price of it', async () => {
    await start({ INSTRUMENTS: DEFAULT_INSTRUMENTS.join(','), PRICE_AUDIT_INTERVAL_MS: '1000' });
    await waitFor(() => feed.opened === 1);
    expect(DEFAULT_INSTRUMENTS).toHaveLength(20);
    // 20 instruments ticking every 50 ms for 4 s: 1600 ticks, 20 per instrument per second.
    const t0 = Date.parse('2026-02-02T10:00:00Z');
    const last = new Map<string, string>();
    for (let ms = 0; ms < 4_000; ms += 50) {
      for (const [i, instrument] of DEFAULT_INSTRUMENTS.entries()) {
        const bid = (1 + i / 100 + ms / 1e7).toFixed(7);
        feed.push(tick(instrument, bid, (Number(bid) + 0.0002).toFixed(7), new Date(t0 + ms)));
        last.set(`${instrument}@${Math.floor(ms / 1000)}`, bid);
      }
    }
    await waitFor(() => pubsub.on('price_updates').length === 1600, { what: 'every tick' });
    const audit = module!.get(PriceAuditService);
    await module!.close(); // stop(): the pending last second is written too
    module = undefined;
    const rows = db.auditRows;
    expect(new Set(rows.map((r) => r.instrument)).size).toBe(20);
    const seconds = rows.map(
      (r) => `${r.instrument}@${Math.floor((Date.parse(r.timestamp) - t0) / 1000)}`,
    );
    expect(new Set(seconds).size).toBe(rows.length); // one row per instrument and second
    expect(rows).toHaveLength(20 * 4);
    for (const [i, row] of rows.entries()) expect(row.bid).toBe(last.get(seconds[i]));
    expect(audit.stats().sampled_out).toBeGreaterThan(audit.stats().written);
    expect(audit.stats().written).toBe(rows.length);
  });
});
