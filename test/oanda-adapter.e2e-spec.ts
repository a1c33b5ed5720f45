import { Logger, LoggerService } from '@nestjs/common';
import { AppConfig } from '../src/platform/config/app-config';
import { PrometheusService } from '../src/platform/observability/prometheus.service';
import {
  PermanentProviderError,
  TransientProviderError,
  type PriceStreamEvent,
  type ProviderCandle,
} from '../src/market-data/market-data-provider.interface';
import type { OandaAdapterOptions } from '../src/market-data/oanda/oanda-options';
import { OandaMarketDataProvider } from '../src/market-data/oanda/oanda.provider';
import { FakeOandaServer, rfc3339, startFakeOanda } from './utils/fake-oanda-server';

const HOUR = 3_600_000;

/** Collects every log line the adapter writes, to prove the key never appears in one. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log = (message: unknown, ...rest: unknown[]) =>
    this.lines.push([message, ...rest].map(String).join(' '));
  error = this.log;
  warn = this.log;
  debug = this.log;
  verbose = this.log;
}

function adapter(
  fake: FakeOandaServer,
  env: Record<string, string> = {},
  options: OandaAdapterOptions = {},
): { provider: OandaMarketDataProvider; metrics: PrometheusService } {
  const config = AppConfig.fromEnv({
    MARKET_DATA_PROVIDER: 'oanda',
    OANDA_API_KEY: fake.token,
    OANDA_ACCOUNT_ID: fake.accountId,
    OANDA_API_URL: fake.url,
    OANDA_STREAM_URL: fake.url,
    OANDA_MAX_RETRIES: '3',
    OANDA_REQUEST_TIMEOUT_MS: '5000',
    INSTRUMENTS: 'EUR_USD,USD_JPY',
    ...env,
  });
  const metrics = new PrometheusService();
  const provider = new OandaMarketDataProvider(config, metrics, {
    baseDelayMs: 5,
    maxDelayMs: 3000,
    silenceTimeoutMs: 300,
    reconnectBaseDelayMs: 10,
    streamConnectionsPerSecond: 50,
    ...options,
  });
  return { provider, metrics };
}

async function collect(pages: AsyncIterable<ProviderCandle[]>): Promise<ProviderCandle[][]> {
  const out: ProviderCandle[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

/** The 24 H1 candles of 2024-01-02 through the adapter, page by page. */
function oneDay(
  provider: OandaMarketDataProvider,
  instrument: string,
): Promise<ProviderCandle[][]> {
  return collect(
    provider.fetchCandles({
      instrument,
      granularity: 'H1',
      from: new Date('2024-01-02T00:00:00Z'),
      to: new Date('2024-01-03T00:00:00Z'),
    }),
  );
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

/** Reads stream events until `done` says stop (or the deadline passes), then aborts. */
async function readStream(
  provider: OandaMarketDataProvider,
  done: (events: PriceStreamEvent[]) => boolean,
  deadlineMs = 10_000,
): Promise<PriceStreamEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deadlineMs);
  const events: PriceStreamEvent[] = [];
  try {
    for await (const event of provider.streamPrices({
      instruments: ['EUR_USD', 'USD_JPY'],
      signal: controller.signal,
    })) {
      events.push(event);
      if (done(events)) controller.abort();
    }
  } finally {
    clearTimeout(timer);
  }
  return events;
}

const statuses = (events: PriceStreamEvent[]) =>
  events.flatMap((e) => (e.type === 'status' ? [e] : []));

describe(OandaMarketDataProvider.name, () => {
  let fake: FakeOandaServer;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    Logger.overrideLogger(logger);
    fake = await startFakeOanda({ heartbeatMs: 40, priceIntervalMs: 15 });
  });

  afterAll(async () => {
    await fake.close();
    Logger.overrideLogger(false);
  });

  beforeEach(() => {
    fake.requests.length = 0;
  });

  describe('the fake server', () => {
    const get = async (query: string) => {
      const response = await fetch(`${fake.url}/v3/instruments/EUR_USD/candles?${query}`, {
        headers: { Authorization: `Bearer ${fake.token}` },
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    it('should enforce the limits OANDA enforces, so the adapter tests mean something', async () => {
      expect(await get('granularity=H1&count=5001')).toEqual({
        status: 400,
        body: { errorMessage: "Invalid value specified for 'count'. Maximum value is 5000." },
      });
      const both = await get(
        'granularity=H1&count=10&from=2024-01-02T00:00:00Z&to=2024-01-03T00:00:00Z',
      );
      expect(both.status).toBe(400);
      expect(both.body.errorMessage).toMatch(/count/);
      const tooMany = await get('granularity=M1&from=2024-01-02T00:00:00Z&to=2024-01-10T00:00:00Z');
      expect(tooMany.status).toBe(400);
      const future = await get(
        `granularity=H1&from=2024-01-02T00:00:00Z&to=${new Date(Date.now() + HOUR).toISOString()}`,
      );
      expect(future.body.errorMessage).toMatch(/future/);
      const ok = await get('granularity=H1&from=2024-01-02T00:00:00Z&count=3&includeFirst=false');
      expect((ok.body.candles as { time: string }[]).map((c) => c.time)).toEqual([
        '2024-01-02T01:00:00.000000000Z',
        '2024-01-02T02:00:00.000000000Z',
        '2024-01-02T03:00:00.000000000Z',
      ]);
    });
  });

  describe('candles', () => {
    it('should page a long historical range in from/to windows of at most 5000 candles, without gaps or duplicates', async () => {
      const { provider } = adapter(fake);
      const from = Date.parse('2023-01-02T00:00:00Z');
      const to = Date.parse('2024-07-01T00:00:00Z');
      const pages = await collect(
        provider.fetchCandles({
          instrument: 'EUR_USD',
          granularity: 'H1',
          from: new Date(from),
          to: new Date(to),
        }),
      );
      const candles = pages.flat();
      const expected = fake.candleTimes('H1', from, to - HOUR);
      expect(expected.length).toBeGreaterThan(9000);
      expect(candles.map((c) => c.time.getTime())).toEqual(expected);
      expect(pages.every((p) => p.length <= 5000)).toBe(true);

      const requests = fake.candleRequests();
      expect(requests.length).toBeGreaterThanOrEqual(3);
      for (const r of requests) {
        expect(
          r.query.count === undefined || r.query.from === undefined || r.query.to === undefined,
        ).toBe(true);
        expect(Number(r.query.count ?? 0)).toBeLessThanOrEqual(5000);
        expect(r.query.price).toBe('MBA');
        expect(r.query.granularity).toBe('H1');
        expect(r.headers.authorization).toBe(`Bearer ${fake.token}`);
        expect(r.headers['accept-datetime-format']).toBe('RFC3339');
        expect(r.status).toBe(200);
      }
      expect(requests[0].query.from).toBe('2023-01-02T00:00:00.000000000Z');
      // Windows are contiguous: each starts where the previous one ended (the fake's `to` is
      // inclusive, so the boundary candle comes twice and must be de-duplicated).
      for (let i = 1; i < requests.length; i++)
        expect(requests[i].query.from).toBe(requests[i - 1].query.to);
      expect(requests[requests.length - 1].query.to).toBe('2024-07-01T00:00:00.000000000Z');
    });

    it('should keep prices as the exact strings OANDA sent and parse nanosecond times to UTC', async () => {
      const { provider } = adapter(fake);
      const from = Date.parse('2024-03-05T10:00:00Z');
      const [candles] = await collect(
        provider.fetchCandles({
          instrument: 'USD_JPY',
          granularity: 'H1',
          from: new Date(from),
          to: new Date(from + 3 * HOUR),
        }),
      );
      expect(candles).toHaveLength(3);
      candles.forEach((c, i) => {
        const wire = fake.candleAt('USD_JPY', 'H1', from + i * HOUR);
        expect(wire.time).toBe(rfc3339(from + i * HOUR));
        expect(wire.time).toMatch(/\.000000000Z$/);
        expect(c.time.toISOString()).toBe(new Date(from + i * HOUR).toISOString());
        expect(c.bid).toEqual(wire.bid);
        expect(c.ask).toEqual(wire.ask);
        expect(c.mid).toEqual(wire.mid);
        expect(c.volume).toBe(wire.volume);
        expect(c.complete).toBe(true);
      });
      // The fake's mids carry one digit more than bid/ask (odd spread): kept verbatim.
      expect(candles[0].mid.o).toMatch(/^\d+\.\d{4}$/);
    });

    it('should read a range reaching the present with count=5000 (never a future `to`) and pass the forming candle as incomplete', async () => {
      const { provider } = adapter(fake);
      const from = Date.now() - 7 * 24 * HOUR;
      const candles = (
        await collect(
          provider.fetchCandles({ instrument: 'GBP_USD', granularity: 'M1', from: new Date(from) }),
        )
      ).flat();
      const times = candles.map((c) => c.time.getTime());
      expect(candles.length).toBeGreaterThan(5000);
      expect(times).toEqual(
        fake.candleTimes('M1', from, Date.now()).filter((t) => t <= times[times.length - 1]),
      );
      const requests = fake.candleRequests();
      expect(requests.length).toBeGreaterThanOrEqual(2);
      for (const r of requests)
        expect(r.query.to === undefined || r.query.count === undefined).toBe(true);
      const final = requests[requests.length - 1];
      expect(final.query.count).toBe('5000');
      expect(final.query.to).toBeUndefined();
      const last = candles[candles.length - 1];
      // At weekends the last candle is Friday's close, complete; in the week it is the forming minute.
      expect(last.complete).toBe(last.time.getTime() + 60_000 <= Date.now());
      expect(candles.slice(0, -1).every((c) => c.complete)).toBe(true);
    });

    it('should surface OANDA errorMessage on 401 without retrying', async () => {
      const { provider } = adapter(fake, { OANDA_API_KEY: 'wrong-key-123' });
      const error = await failure(oneDay(provider, 'EUR_USD'));
      expect(error).toBeInstanceOf(PermanentProviderError);
      expect((error as PermanentProviderError).status).toBe(401);
      expect(error.message).toContain('Insufficient authorization to perform request.');
      expect(error.message).not.toContain('wrong-key-123');
      expect(fake.candleRequests()).toHaveLength(1);
    });

    it('should surface OANDA errorMessage on 404 for an unknown instrument without retrying', async () => {
      const { provider } = adapter(fake);
      const error = await failure(oneDay(provider, 'AUD_CAD'));
      expect(error).toBeInstanceOf(PermanentProviderError);
      expect((error as PermanentProviderError).status).toBe(404);
      expect(error.message).toContain("Invalid value specified for 'instrument'");
      expect(fake.candleRequests()).toHaveLength(1);
    });

    it('should wait for Retry-After after a 429 and then succeed', async () => {
      const { provider } = adapter(fake);
      fake.failNext(1, {
        status: 429,
        retryAfter: '1',
        errorMessage: 'Too many requests',
        path: /candles$/,
      });
      const pages = await oneDay(provider, 'EUR_USD');
      expect(pages.flat()).toHaveLength(24);
      const [limited, retried] = fake.candleRequests();
      expect(limited.status).toBe(429);
      expect(retried.status).toBe(200);
      // Retry-After: 1 means at least a second between the two (a lower bound, not a speed claim).
      expect(retried.at - limited.at).toBeGreaterThanOrEqual(950);
    });

    it('should retry 500s and network failures, then succeed', async () => {
      const { provider, metrics } = adapter(fake);
      fake.failNext(2, { status: 500, path: /candles$/ });
      fake.failNext(1, { destroy: true, path: /candles$/ });
      const pages = await oneDay(provider, 'EUR_USD');
      expect(pages.flat()).toHaveLength(24);
      expect(fake.candleRequests().map((r) => r.status)).toEqual([500, 500, 0, 200]);
      const { body } = await metrics.exposition();
      expect(body).toContain(
        'provider_requests_total{provider="oanda",endpoint="candles",status="500"} 2',
      );
      expect(body).toContain(
        'provider_requests_total{provider="oanda",endpoint="candles",status="network"} 1',
      );
      expect(body).toContain(
        'provider_requests_total{provider="oanda",endpoint="candles",status="200"} 1',
      );
    });

    it('should retry a request that times out', async () => {
      const { provider } = adapter(fake, { OANDA_REQUEST_TIMEOUT_MS: '1000' });
      fake.failNext(1, { delayMs: 1500, path: /candles$/ });
      const pages = await oneDay(provider, 'EUR_USD');
      expect(pages.flat()).toHaveLength(24);
      expect(fake.candleRequests().length).toBe(2);
    });

    it('should give up after OANDA_MAX_RETRIES retries with a transient error', async () => {
      const { provider } = adapter(fake, { OANDA_MAX_RETRIES: '2' });
      fake.failNext(3, { status: 503, errorMessage: 'Service unavailable', path: /candles$/ });
      const error = await failure(oneDay(provider, 'EUR_USD'));
      expect(error).toBeInstanceOf(TransientProviderError);
      expect(error.message).toContain('gave up after 3 attempts');
      expect(error.message).toContain('Service unavailable');
      expect(fake.candleRequests()).toHaveLength(3);
    });

    it('should never put the API key in errors or logs, even when the server echoes it', async () => {
      const { provider } = adapter(fake, { OANDA_MAX_RETRIES: '1' });
      logger.lines.length = 0;
      fake.failNext(2, {
        status: 502,
        errorMessage: `upstream rejected Authorization: Bearer ${fake.token}`,
        path: /candles$/,
      });
      const transient = await failure(oneDay(provider, 'EUR_USD'));
      fake.failNext(1, { status: 400, errorMessage: `bad token ${fake.token}`, path: /candles$/ });
      const permanent = await failure(oneDay(provider, 'EUR_USD'));
      for (const error of [transient, permanent]) {
        expect(error.message).toContain('***');
        expect(error.message).not.toContain(fake.token);
        expect(JSON.stringify(error)).not.toContain(fake.token);
        expect(String(error.stack)).not.toContain(fake.token);
      }
      expect(logger.lines.length).toBeGreaterThan(0);
      expect(logger.lines.join('\n')).not.toContain(fake.token);
    });
  });

  describe('instruments and self-test', () => {
    it('should list account instruments with precision and pip location', async () => {
      const { provider } = adapter(fake);
      expect(await provider.listInstruments({ instruments: ['EUR_USD', 'USD_JPY'] })).toEqual([
        { name: 'EUR_USD', displayName: 'EUR/USD', displayPrecision: 5, pipLocation: -4 },
        { name: 'USD_JPY', displayName: 'USD/JPY', displayPrecision: 3, pipLocation: -2 },
      ]);
      expect(fake.requests[0].path).toBe(`/v3/accounts/${fake.accountId}/instruments`);
    });

    it('should report ok with latency from a cheap call, and not ok with the reason', async () => {
      const good = await adapter(fake).provider.selfTest({});
      expect(good.ok).toBe(true);
      expect(good.provider).toBe('oanda');
      expect(good.latencyMs).toBeGreaterThan(0);
      const bad = await adapter(fake, { OANDA_API_KEY: 'nope-nope' }).provider.selfTest({});
      expect(bad.ok).toBe(false);
      expect(bad.message).toContain('Insufficient authorization');
    });
  });

  describe('pricing stream', () => {
    it('should yield prices with exact mids and heartbeats after a connected status', async () => {
      const { provider } = adapter(fake);
      const events = await readStream(
        provider,
        (list) => list.filter((e) => e.type === 'heartbeat').length >= 2,
      );
      expect(events[0]).toEqual({ type: 'status', connected: true });
      const ticks = events.flatMap((e) => (e.type === 'price' ? [e.tick] : []));
      expect(new Set(ticks.map((t) => t.instrument))).toEqual(new Set(['EUR_USD', 'USD_JPY']));
      const eur = ticks.find((t) => t.instrument === 'EUR_USD')!;
      expect(eur.bid).toMatch(/^1\.\d{5}$/);
      // ask = bid + 0.00013: the exact mean has one digit more.
      expect(eur.mid).toMatch(/^1\.\d{5}5$/);
      expect(Number(eur.mid)).toBeCloseTo((Number(eur.bid) + Number(eur.ask)) / 2, 9);
      expect(eur.tradeable).toBe(true);
      expect(events.some((e) => e.type === 'heartbeat' && e.time instanceof Date)).toBe(true);
      const stream = fake.requests.find((r) => r.path.endsWith('/pricing/stream'))!;
      expect(stream.query.instruments).toBe('EUR_USD,USD_JPY');
      expect(stream.headers.authorization).toBe(`Bearer ${fake.token}`);
    });

    it('should reconnect after the server drops the connection', async () => {
      const { provider } = adapter(fake);
      const before = fake.streamConnections;
      fake.scriptNextStream({ dropAfter: 3 });
      const events = await readStream(
        provider,
        (list) => statuses(list).filter((s) => s.connected).length >= 2,
      );
      const states = statuses(events).map((s) => s.connected);
      expect(states).toEqual([true, false, true]);
      expect(fake.streamConnections - before).toBe(2);
    });

    it('should reconnect when neither prices nor heartbeats arrive for the silence timeout', async () => {
      const { provider } = adapter(fake);
      fake.scriptNextStream({ silenceAfter: 2 });
      const events = await readStream(
        provider,
        (list) => statuses(list).filter((s) => s.connected).length >= 2,
      );
      expect(statuses(events).map((s) => s.connected)).toEqual([true, false, true]);
      const drop = statuses(events).find((s) => !s.connected)!;
      expect(drop.reason).toBe('no price or heartbeat for 300 ms');
    });

    it('should end the iterator when the signal aborts', async () => {
      const { provider } = adapter(fake);
      const controller = new AbortController();
      let count = 0;
      for await (const event of provider.streamPrices({
        instruments: ['EUR_USD'],
        signal: controller.signal,
      })) {
        if (event.type === 'price' && ++count === 3) controller.abort();
      }
      expect(count).toBe(3);
    });

    it('should throw instead of reconnecting forever when the account is forbidden', async () => {
      const { provider } = adapter(fake, { OANDA_ACCOUNT_ID: '999-999-9999999-999' });
      const error = await failure(readStream(provider, () => false, 3000));
      expect(error).toBeInstanceOf(PermanentProviderError);
      expect((error as PermanentProviderError).status).toBe(403);
    });
  });
});
