import request from 'supertest';
import { AppCacheService } from '../src/cache/app-cache.service';
import { CacheKeys } from '../src/cache/cache-keys';
import { CacheWarmers } from '../src/cache/cache-warmers';
import { BackfillHooks } from '../src/ingestion/backfill-hooks.service';
import { CandleSeriesService } from '../src/candles/candle-series.store';
import { JobRegistry, type StepContext } from '../src/platform/jobs/job-registry.service';
import { computeMetrics, METRIC_COLUMNS } from '../src/volatility/indicators';
import { VolatilityService } from '../src/volatility/volatility.service';
import {
  type BidCandle,
  candlesFromReturns,
  gaussian,
  insertBidCandles,
  seededRandom,
} from './factories/analytics-candles.factory';
import { type ChannelRecorder, recordChannels } from './factories/analytics-events';
import { runCli } from './utils/ops-helpers';
import { startTestApp, type TestApp } from './utils/test-app';

const HOUR = 3_600_000;
const START = Date.UTC(2025, 0, 6, 0);
const GAP = 140;

/** 100 quiet returns then 20 returns ten times larger: volatility_20 / volatility_50 = 1.59 at the end. */
function eurUsdReturns(): number[] {
  return Array.from({ length: 120 }, (_, k) => (k % 2 ? -1 : 1) * (k >= 100 ? 0.002 : 0.0002));
}

describe(VolatilityService.name, () => {
  let t: TestApp;
  let events: ChannelRecorder;
  let registry: JobRegistry;
  const random = seededRandom(7);
  const market = new Map<string, BidCandle[]>([
    ['EUR_USD', candlesFromReturns('EUR_USD', START, eurUsdReturns(), random)],
    [
      'GBP_USD',
      candlesFromReturns(
        'GBP_USD',
        START,
        Array.from({ length: 150 }, () => gaussian(random) * 0.001),
        random,
      ),
    ],
    // 30 candles: too short for volatility_50 and the MACD signal.
    [
      'USD_JPY',
      candlesFromReturns(
        'USD_JPY',
        START,
        Array.from({ length: 29 }, () => gaussian(random) * 0.001),
        random,
      ),
    ],
  ]);

  /** The hourly `metrics` step, then its `alerts` step (the built-in volatility rules); the metrics outcome. */
  const runStep = async () => {
    const step = (name: string) => registry.steps('hourly').find((s) => s.name === name)!;
    const ctx: StepContext = {
      name: 'hourly',
      signal: new AbortController().signal,
      startedAt: new Date(),
      options: {},
      previous: {},
    };
    const outcome = await step('metrics').run(ctx);
    await step('alerts').run(ctx);
    return outcome;
  };
  const rowCount = async (instrument: string): Promise<number> =>
    (
      await t.dataSource.query(
        `SELECT count(*)::int AS n FROM volatility_metrics WHERE instrument = $1`,
        [instrument],
      )
    )[0].n;

  beforeAll(async () => {
    t = await startTestApp(
      { INSTRUMENTS: 'EUR_USD,GBP_USD,USD_JPY', VOLATILITY_ALERT_ABSOLUTE: 'GBP_USD:0.0001' },
      'analytics-vol',
    );
    registry = t.app.get(JobRegistry);
    events = await recordChannels(t.env.REDIS_KEY_PREFIX!, ['volatility_alerts', 'data_ready']);
    for (const [instrument, candles] of market) {
      // GBP_USD starts with a hole at bar 140 that a later "sync" fills.
      await insertBidCandles(
        t.dataSource,
        instrument,
        instrument === 'GBP_USD' ? candles.filter((_, k) => k !== GAP) : candles,
      );
    }
  });

  afterAll(async () => {
    await events?.close();
    await t?.close();
  });

  it('should register the metrics step in the hourly job after the candle sync', () => {
    const step = registry.steps('hourly').find((s) => s.name === 'metrics');
    expect(step).toMatchObject({ job: 'hourly', name: 'metrics', position: 2 });
  });

  it('should write a metrics row for every candle, equal to the pure functions over the stored mids', async () => {
    const outcome = await runStep();
    expect(outcome.status).toBe('success');
    expect(outcome.recordsProcessed).toBe(121 + 150 + 30);
    const series = await t.app.get(CandleSeriesService).midSeries({ instrument: 'EUR_USD' });
    const expected = computeMetrics(series, 6240);
    const rows: Array<Record<string, number | null>> = await t.dataSource.query(
      `SELECT (extract(epoch FROM time) * 1000)::float8 AS t, ${METRIC_COLUMNS.join(', ')}
       FROM volatility_metrics WHERE instrument = 'EUR_USD' ORDER BY time`,
    );
    expect(rows).toHaveLength(121);
    rows.forEach((row, i) => {
      expect(row.t).toBe(series.times[i]);
      for (const column of METRIC_COLUMNS) {
        const value = expected[column][i];
        if (Number.isNaN(value)) expect([column, i, row[column]]).toEqual([column, i, null]);
        else expect(row[column]).toBeCloseTo(value, 12);
      }
    });
  });

  it('should store NULL, never a guess, where the history is too short', async () => {
    const rows: Array<Record<string, number>> = await t.dataSource.query(
      `SELECT count(*)::int AS n, count(volatility_50)::int AS vol50, count(macd_signal)::int AS signal,
              count(macd)::int AS macd, count(rsi_14)::int AS rsi, count(atr)::int AS atr,
              count(stoch_d)::int AS stoch_d, count(volatility_20)::int AS vol20
       FROM volatility_metrics WHERE instrument = 'USD_JPY'`,
    );
    expect(rows[0]).toEqual({
      n: 30,
      vol50: 0,
      signal: 0,
      macd: 5,
      rsi: 16,
      atr: 16,
      stoch_d: 13,
      vol20: 10,
    });
  });

  it('should publish one volatility_alert per alerting instrument for the newest candle, and data_ready', async () => {
    const alerts = await events.waitFor('volatility_alerts', (m) => m.length >= 2);
    const eur = alerts.find((a) => a.instrument === 'EUR_USD');
    expect(eur).toMatchObject({ severity: 'warning', threshold: 1.5 });
    expect(eur?.message).toContain(new Date(START + 120 * HOUR).toISOString());
    const gbp = alerts.find((a) => a.instrument === 'GBP_USD');
    expect(gbp).toMatchObject({ severity: 'warning', threshold: 0.0001 });
    expect(alerts.filter((a) => a.instrument === 'EUR_USD')).toHaveLength(1);
    const ready = await events.waitFor('data_ready', (m) =>
      m.some((e) => e.data_type === 'volatility'),
    );
    expect(ready.find((e) => e.data_type === 'volatility')?.count).toBe(301);
  });

  it('should fill metrics:<I> in the cache with the newest metrics', async () => {
    const cache = t.app.get(AppCacheService);
    const cached = await cache.get<Record<string, unknown>>(
      t.app.get(CacheKeys).metrics('EUR_USD').key,
    );
    expect(cached?.time).toBe(new Date(START + 120 * HOUR).toISOString());
    expect(cached?.volatility_20).toEqual(expect.any(Number));
  });

  it('should refill every metrics:<I> key from the database through cache:warm', async () => {
    const cache = t.app.get(AppCacheService);
    const { key } = t.app.get(CacheKeys).metrics('USD_JPY');
    await cache.del(key);
    const results = await t.app
      .get(CacheWarmers)
      .warmAll(new AbortController().signal, ['metrics']);
    expect(results).toEqual([{ name: 'metrics', keys: 3 }]);
    expect(await cache.get(key)).toMatchObject({ instrument: 'USD_JPY', volatility_50: null });
  });

  it('should be idempotent: a rerun writes nothing and alerts nothing', async () => {
    const before = events.messages('volatility_alerts').length;
    const outcome = await runStep();
    expect(outcome.recordsProcessed).toBe(0);
    expect(await rowCount('EUR_USD')).toBe(121);
    await events.settled();
    expect(events.messages('volatility_alerts')).toHaveLength(before);
  });

  it('should compute only the new candle times, warmed up over the whole history', async () => {
    const last = market.get('EUR_USD')!.at(-1)!;
    await insertBidCandles(t.dataSource, 'EUR_USD', [
      { ...last, time: last.time + HOUR, open: last.close, close: Number(last.close) * 1.001 },
    ]);
    const outcome = await runStep();
    expect(outcome.recordsProcessed).toBe(1);
    expect((outcome.details?.instruments as Record<string, number>).EUR_USD).toBe(1);
    const series = await t.app.get(CandleSeriesService).midSeries({ instrument: 'EUR_USD' });
    const expected = computeMetrics(series, 6240);
    const [row] = await t.dataSource.query(
      `SELECT ema_26, rsi_14, macd_signal FROM volatility_metrics WHERE instrument = 'EUR_USD' ORDER BY time DESC LIMIT 1`,
    );
    expect(row.ema_26).toBeCloseTo(expected.ema_26[121], 12);
    expect(row.rsi_14).toBeCloseTo(expected.rsi_14[121], 12);
    expect(row.macd_signal).toBeCloseTo(expected.macd_signal[121], 12);
  });

  it('should fill a candle that arrived in a gap and rewrite the bars after it', async () => {
    await insertBidCandles(t.dataSource, 'GBP_USD', [market.get('GBP_USD')![GAP]]);
    const outcome = await runStep();
    const written = (outcome.details?.instruments as Record<string, number>).GBP_USD;
    expect(written).toBeGreaterThan(1);
    expect(written).toBeLessThanOrEqual(151 - GAP);
    expect(await rowCount('GBP_USD')).toBe(151);
    const series = await t.app.get(CandleSeriesService).midSeries({ instrument: 'GBP_USD' });
    const expected = computeMetrics(series, 6240);
    const rows: Array<{ ema_26: number; atr: number }> = await t.dataSource.query(
      `SELECT ema_26, atr FROM volatility_metrics WHERE instrument = 'GBP_USD' ORDER BY time`,
    );
    for (let i = GAP; i < 151; i += 1) {
      expect(rows[i].ema_26).toBeCloseTo(expected.ema_26[i], 12);
      expect(rows[i].atr).toBeCloseTo(expected.atr[i], 12);
    }
  });

  it('should rebuild the whole history through the backfill hook', async () => {
    await t.dataSource.query(
      `DELETE FROM volatility_metrics WHERE instrument = 'GBP_USD' AND time < $1`,
      [new Date(START + 100 * HOUR)],
    );
    await t.dataSource.query(
      `UPDATE volatility_metrics SET rsi_14 = 1 WHERE instrument = 'GBP_USD'`,
    );
    const hook = t.app
      .get(BackfillHooks)
      .list()
      .find((h) => h.name === 'metrics')!;
    const result = await hook.run({
      instruments: ['GBP_USD'],
      granularity: 'H1',
      signal: new AbortController().signal,
    });
    expect(result.recordsProcessed).toBe(151);
    expect(await rowCount('GBP_USD')).toBe(151);
    const [{ wrong }] = await t.dataSource.query(
      `SELECT count(*)::int AS wrong FROM volatility_metrics WHERE instrument = 'GBP_USD' AND rsi_14 = 1`,
    );
    expect(wrong).toBe(0);
    expect(
      await hook.run({
        instruments: ['GBP_USD'],
        granularity: 'D',
        signal: new AbortController().signal,
      }),
    ).toEqual({
      recordsProcessed: 0,
    });
  });

  it('should rebuild from the CLI with metrics:rebuild --instruments and log the run', async () => {
    await t.dataSource.query(`DELETE FROM volatility_metrics WHERE instrument = 'USD_JPY'`);
    const { code, stdout } = await runCli(['metrics:rebuild', '--instruments', 'USD_JPY'], t.env);
    expect(code).toBe(0);
    expect(stdout).toContain('"status": "success"');
    expect(await rowCount('USD_JPY')).toBe(30);
    const [log] = await t.dataSource.query(
      `SELECT status, records_processed FROM cron_job_log WHERE job_name = 'metrics-rebuild'`,
    );
    expect(log).toEqual({ status: 'success', records_processed: 30 });
  }, 60_000);

  it('should exit 1 naming the option when metrics:rebuild gets a bad instrument', async () => {
    const run = await runCli(['metrics:rebuild', '--instruments', 'usd_jpy'], t.env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--instruments: "usd_jpy"');
  }, 60_000);

  describe('GET /api/v1/metrics/volatility', () => {
    it('should list the latest metrics of every tracked instrument in snake_case', async () => {
      const res = await request(t.url).get('/api/v1/metrics/volatility').expect(200);
      expect(res.body.count).toBe(3);
      expect(res.body.missing).toEqual([]);
      const eur = res.body.metrics.find((m: { instrument: string }) => m.instrument === 'EUR_USD');
      expect(eur.time).toBe(new Date(START + 121 * HOUR).toISOString());
      expect(Object.keys(eur).sort()).toEqual(['instrument', 'time', ...METRIC_COLUMNS].sort());
    });

    it('should serve the latest metrics cache-first and fall back to the database', async () => {
      const cache = t.app.get(AppCacheService);
      const { key, ttl } = t.app.get(CacheKeys).metrics('GBP_USD');
      const res1 = await request(t.url).get('/api/v1/metrics/volatility/GBP_USD').expect(200);
      await cache.set(key, { ...res1.body.latest, rsi_14: 12.5 }, ttl);
      const res2 = await request(t.url)
        .get('/api/v1/metrics/volatility/GBP_USD?limit=1')
        .expect(200);
      expect(res2.body.latest.rsi_14).toBe(12.5);
      await cache.del(key);
      const res3 = await request(t.url)
        .get('/api/v1/metrics/volatility/GBP_USD?limit=1')
        .expect(200);
      expect(res3.body.latest.rsi_14).toBe(res1.body.latest.rsi_14);
      expect(await cache.get(key)).toMatchObject({ instrument: 'GBP_USD' });
    });

    it('should return history newest first within from/to and limit', async () => {
      const from = new Date(START + 10 * HOUR).toISOString();
      const to = new Date(START + 19 * HOUR).toISOString();
      const res = await request(t.url)
        .get(`/api/v1/metrics/volatility/EUR_USD?from=${from}&to=${to}&limit=4`)
        .expect(200);
      expect(res.body.instrument).toBe('EUR_USD');
      expect(res.body.count).toBe(4);
      expect(res.body.history.map((h: { time: string }) => h.time)).toEqual(
        [19, 18, 17, 16].map((k) => new Date(START + k * HOUR).toISOString()),
      );
      expect(res.body.history[0].sma_20).toBeCloseTo(res.body.history[0].bb_middle, 15);
      expect(res.body.history[3].sma_20).toBeNull();
    });

    it('should answer 400 naming the bad field and 404 for an untracked instrument', async () => {
      const bad = async (path: string, field: string) => {
        const res = await request(t.url).get(path).expect(400);
        expect(JSON.stringify(res.body.message)).toContain(field);
      };
      await bad('/api/v1/metrics/volatility/EUR_USD?limit=0', 'limit');
      await bad('/api/v1/metrics/volatility/EUR_USD?limit=abc', 'limit');
      await bad('/api/v1/metrics/volatility/EUR_USD?from=yesterday', 'from');
      await bad(
        '/api/v1/metrics/volatility/EUR_USD?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z',
        'from',
      );
      await bad('/api/v1/metrics/volatility/EUR_USD?color=red', 'color');
      // Names as OANDA writes them: lower case is malformed, like on every route.
      await bad('/api/v1/metrics/volatility/eur_usd', 'instrument');
      await bad('/api/v1/metrics/volatility/EURUSD', 'instrument');
      const res = await request(t.url).get('/api/v1/metrics/volatility/AUD_NZD').expect(404);
      expect(res.body.message).toContain('AUD_NZD');
    });
  });
});
