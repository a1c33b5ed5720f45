import request from 'supertest';
import { BestPairsQueryService } from '../src/best-pairs/best-pairs-query.service';
import { AppCacheService } from '../src/cache/app-cache.service';
import { CacheKeys } from '../src/cache/cache-keys';
import { CacheWarmers } from '../src/cache/cache-warmers';
import { CandleSeriesService } from '../src/candles/candle-series.store';
import { DEFAULT_INSTRUMENTS } from '../src/platform/config/instruments';
import { CorrelationService } from '../src/correlation/correlation.service';
import { pairCorrelation } from '../src/correlation/pearson';
import { JobRegistry, type JobRunOptions } from '../src/platform/jobs/job-registry.service';
import { JobRunner } from '../src/platform/jobs/job-runner.service';
import { factorMarket, insertBidCandles } from './factories/analytics-candles.factory';
import { type ChannelRecorder, recordChannels } from './factories/analytics-events';
import { startTestApp, type TestApp } from './utils/test-app';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const HOURS = 480;
/** The newest complete candle: the one that opened an hour before the current hour. */
const LAST = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
/** Seven days back: a day whose end is long before the USD regime change 120 hours ago. */
const PAST = new Date(Date.parse(new Date().toISOString().slice(0, 10)) - 7 * DAY)
  .toISOString()
  .slice(0, 10);
/** Has only its last 150 hours: enough for window 100 today, too little for 200 (and for anything a week ago). */
const SHORT = 'EUR_TRY';

describe(CorrelationService.name, () => {
  let t: TestApp;
  let events: ChannelRecorder;
  /** The calculation day of the "as of now" run, set by the first such test. */
  let TODAY = '';
  const market = factorMarket({
    instruments: DEFAULT_INSTRUMENTS,
    hours: HOURS,
    lastMs: LAST,
    seed: 20,
    regimeFrom: HOURS - 120,
    usdBoost: 3,
  });

  const runDaily = (options: JobRunOptions = {}) =>
    t.app
      .get(JobRunner)
      .run('daily-correlation', (ctx) =>
        t.app.get(JobRegistry).runSteps('daily-correlation', ctx, options),
      );
  const rows = (date: string, window: number) =>
    t.dataSource.query(
      `SELECT pair1, pair2, correlation, sample_size FROM correlation_matrix
       WHERE time = $1 AND window_size = $2 ORDER BY pair1, pair2`,
      [date, window],
    );

  beforeAll(async () => {
    t = await startTestApp({}, 'analytics-corr');
    events = await recordChannels(t.env.REDIS_KEY_PREFIX!, ['correlation_alerts', 'data_ready']);
    for (const [instrument, candles] of market) {
      await insertBidCandles(
        t.dataSource,
        instrument,
        instrument === SHORT ? candles.slice(-150) : candles,
      );
    }
  });

  afterAll(async () => {
    await events?.close();
    await t?.close();
  });

  it('should register correlation, best-pairs, then the correlation alert rules as the steps of the daily job', () => {
    const steps = t.app.get(JobRegistry).steps('daily-correlation');
    expect(steps.map((s) => [s.name, s.position])).toEqual([
      ['correlation', 1],
      ['best-pairs', 2],
      ['alerts', 3],
    ]);
  });

  it('should leave out instruments with too little history and report them (--as-of)', async () => {
    const result = await runDaily({ asOf: new Date(`${PAST}T00:00:00Z`) });
    expect(result.status).toBe('success');
    const details = result.details as {
      steps: Record<string, { details: Record<string, unknown> }>;
    };
    const correlation = details.steps.correlation.details;
    expect(correlation.date).toBe(PAST);
    const leftOut = correlation.left_out as Record<string, Array<{ instrument: string }>>;
    expect(leftOut['100'].map((l) => l.instrument)).toEqual([SHORT]);
    expect(leftOut['200'].map((l) => l.instrument)).toEqual([SHORT]);
    expect(await rows(PAST, 100)).toHaveLength(171);
    expect(await rows(PAST, 200)).toHaveLength(171);
  });

  it('should use only candles up to the end of the as-of day', async () => {
    const cutoff = new Date(Date.parse(PAST) + DAY - 1);
    const series = t.app.get(CandleSeriesService);
    const [eur, chf] = await Promise.all(
      ['EUR_USD', 'USD_CHF'].map((instrument) => series.midSeries({ instrument, to: cutoff })),
    );
    const expected = pairCorrelation(eur, chf, 100).correlation;
    const [row] = await t.dataSource.query(
      `SELECT correlation FROM correlation_matrix
       WHERE pair1 = 'EUR_USD' AND pair2 = 'USD_CHF' AND time = $1 AND window_size = 100`,
      [PAST],
    );
    expect(row.correlation).toBeCloseTo(expected, 12);
    expect(expected).toBeLessThan(-0.3);
  });

  it('should store all 190 pairs for window 100 and 171 for window 200 today, and log the run', async () => {
    const result = await runDaily();
    expect(result.status).toBe('success');
    // The day the job stood for (taken from its start), so a run across midnight cannot confuse the test.
    TODAY = (result.details as { steps: { correlation: { details: { date: string } } } }).steps
      .correlation.details.date;
    expect(TODAY > PAST).toBe(true);
    const w100 = await rows(TODAY, 100);
    const w200 = await rows(TODAY, 200);
    expect(w100).toHaveLength(190);
    expect(w200).toHaveLength(171);
    for (const r of [...w100, ...w200]) {
      expect(r.pair1 < r.pair2).toBe(true);
      expect(r.correlation).toBeGreaterThanOrEqual(-1);
      expect(r.correlation).toBeLessThanOrEqual(1);
    }
    expect(w100.every((r: { sample_size: number }) => r.sample_size === 100)).toBe(true);
    const [log] = await t.dataSource.query(
      `SELECT status, records_processed, details FROM cron_job_log
       WHERE job_name = 'daily-correlation' ORDER BY id DESC LIMIT 1`,
    );
    expect(log.status).toBe('success');
    expect(log.records_processed).toBe(190 + 171 + 190 + 171);
    expect(log.details.steps.correlation.details.left_out['200']).toEqual([
      expect.objectContaining({ instrument: SHORT, candles: 150 }),
    ]);
  });

  it('should match the pure Pearson of the stored series for every pair', async () => {
    const series = t.app.get(CandleSeriesService);
    const loaded = new Map(
      await Promise.all(
        DEFAULT_INSTRUMENTS.map(
          async (i) => [i, await series.midSeries({ instrument: i })] as const,
        ),
      ),
    );
    for (const r of await rows(TODAY, 100)) {
      const expected = pairCorrelation(loaded.get(r.pair1)!, loaded.get(r.pair2)!, 100).correlation;
      expect(r.correlation).toBeCloseTo(expected, 12);
    }
  });

  it('should alert on correlations that moved by 0.2 or crossed 0.7 since the previous calculation', async () => {
    const alerts = await events.waitFor('correlation_alerts', (m) => m.length > 0);
    const eurGbp = alerts.find((a) => a.pair1 === 'EUR_USD' && a.pair2 === 'GBP_USD');
    expect(eurGbp).toMatchObject({ severity: 'critical' });
    expect(
      Math.abs((eurGbp!.correlation as number) - (eurGbp!.previous as number)),
    ).toBeGreaterThanOrEqual(0.2);
    for (const alert of alerts) {
      const moved = Math.abs((alert.correlation as number) - (alert.previous as number));
      const crossed = [0.7, -0.7].some(
        (l) => (alert.previous as number) < l !== (alert.correlation as number) < l,
      );
      expect(moved >= 0.2 - 1e-12 || crossed).toBe(true);
    }
    const ready = await events.waitFor('data_ready', (m) =>
      ['correlation', 'best_pairs'].every((type) => m.some((e) => e.data_type === type)),
    );
    expect(ready.filter((e) => e.data_type === 'correlation').at(-1)?.count).toBe(361);
  });

  it('should be idempotent: a rerun the same day keeps one row per pair and alerts nothing', async () => {
    const alertsBefore = events.messages('correlation_alerts').length;
    const before = await rows(TODAY, 100);
    const bestBefore = await t.dataSource.query(
      `SELECT pair1, pair2, category, rank, reason FROM best_pairs_tracker WHERE time = $1 ORDER BY window_size, pair1, pair2`,
      [TODAY],
    );
    const result = await runDaily();
    expect(result.status).toBe('success');
    expect(await rows(TODAY, 100)).toEqual(before);
    const bestAfter = await t.dataSource.query(
      `SELECT pair1, pair2, category, rank, reason FROM best_pairs_tracker WHERE time = $1 ORDER BY window_size, pair1, pair2`,
      [TODAY],
    );
    expect(bestAfter).toEqual(bestBefore);
    await events.settled();
    expect(events.messages('correlation_alerts')).toHaveLength(alertsBefore);
  });

  it('should categorise and rank every pair with a reason into best_pairs_tracker', async () => {
    const best: Array<{
      pair1: string;
      pair2: string;
      correlation: number;
      category: string;
      rank: number;
      reason: string;
    }> = await t.dataSource.query(
      `SELECT pair1, pair2, correlation, category, rank, reason FROM best_pairs_tracker
         WHERE time = $1 AND window_size = 100 ORDER BY category, rank`,
      [TODAY],
    );
    expect(best).toHaveLength(190);
    const byCategory = new Map<string, typeof best>();
    for (const row of best)
      byCategory.set(row.category, [...(byCategory.get(row.category) ?? []), row]);
    for (const [category, members] of byCategory) {
      expect(members.map((m) => m.rank)).toEqual(members.map((_, i) => i + 1));
      for (const m of members) {
        if (category === 'negatively_correlated') expect(m.correlation).toBeLessThanOrEqual(-0.4);
        if (category === 'uncorrelated') expect(Math.abs(m.correlation)).toBeLessThan(0.4);
        if (category === 'highly_correlated') expect(m.correlation).toBeGreaterThanOrEqual(0.7);
      }
    }
    const hedges = byCategory.get('negatively_correlated')!;
    expect(hedges.map((h) => h.correlation)).toEqual(
      [...hedges.map((h) => h.correlation)].sort((a, b) => a - b),
    );
    const div = byCategory.get('uncorrelated')!;
    const abs = div.map((d) => Math.abs(d.correlation));
    expect(abs).toEqual([...abs].sort((a, b) => a - b));
    const eurChf = best.find((b) => b.pair1 === 'EUR_USD' && b.pair2 === 'USD_CHF')!;
    expect(eurChf.category).toBe('negatively_correlated');
    expect(eurChf.reason).toMatch(
      /^EUR_USD and USD_CHF share USD and move in opposite directions \(r = -0\.\d\d over 100 hours\)/,
    );
  });

  it('should cache the newest matrix per window and the best pairs', async () => {
    const cache = t.app.get(AppCacheService);
    const keys = t.app.get(CacheKeys);
    const matrix = await cache.get<{ date: string; window: number }>(
      keys.correlationMatrix(200).key,
    );
    expect(matrix).toMatchObject({ date: TODAY, window: 200 });
    const best = await cache.get<{ windows: Record<string, { date: string }> }>(
      keys.bestPairs().key,
    );
    expect(best?.windows['100'].date).toBe(TODAY);
  });

  it('should refill the matrix and best-pairs keys from the database through cache:warm', async () => {
    const cache = t.app.get(AppCacheService);
    const keys = t.app.get(CacheKeys);
    await cache.del(keys.correlationMatrix(100).key);
    await cache.del(keys.bestPairs().key);
    const results = await t.app
      .get(CacheWarmers)
      .warmAll(new AbortController().signal, ['correlation_matrix', 'best_pairs']);
    expect(results).toEqual([
      { name: 'correlation_matrix', keys: 2 },
      { name: 'best_pairs', keys: 1 },
    ]);
    expect(await cache.get(keys.correlationMatrix(100).key)).toMatchObject({ date: TODAY });
    const listed = await t.app.get(BestPairsQueryService).list({});
    expect(listed.date).toBe(TODAY);
  });

  it('should document every analytics route with its query parameters in Swagger', async () => {
    const res = await request(t.url).get('/docs-json').expect(200);
    const params = (path: string) =>
      (res.body.paths[path]?.get?.parameters ?? []).map((p: { name: string }) => p.name).sort();
    expect(params('/api/v1/metrics/volatility')).toEqual([]);
    expect(params('/api/v1/metrics/volatility/{instrument}')).toEqual([
      'from',
      'instrument',
      'limit',
      'to',
    ]);
    expect(params('/api/v1/correlation/matrix')).toEqual(['date', 'window']);
    expect(params('/api/v1/correlation/pairs')).toEqual(['limit', 'pair1', 'pair2', 'window']);
    expect(params('/api/v1/best-pairs')).toEqual(['category', 'limit', 'window']);
    expect(res.body.components.schemas.BestPairDto.properties.reason.example).toContain(
      'share USD',
    );
  });

  describe('GET /api/v1/correlation/matrix', () => {
    it('should return a symmetric matrix with 1 on the diagonal and null where unknown', async () => {
      const res = await request(t.url).get('/api/v1/correlation/matrix?window=200').expect(200);
      expect(res.body).toMatchObject({
        window: 200,
        date: TODAY,
        instruments: DEFAULT_INSTRUMENTS,
      });
      expect(Date.parse(res.body.calculated_at)).toBeGreaterThan(0);
      const m: Array<Array<number | null>> = res.body.matrix;
      const short = DEFAULT_INSTRUMENTS.indexOf(SHORT);
      m.forEach((row, i) => {
        expect(row[i]).toBe(1);
        row.forEach((v, j) => expect(v).toBe(m[j][i]));
        if (i !== short) expect(row[short]).toBeNull();
      });
      const eur = DEFAULT_INSTRUMENTS.indexOf('EUR_USD');
      const chf = DEFAULT_INSTRUMENTS.indexOf('USD_CHF');
      const [stored] = await t.dataSource.query(
        `SELECT correlation FROM correlation_matrix WHERE pair1 = 'EUR_USD' AND pair2 = 'USD_CHF' AND time = $1 AND window_size = 200`,
        [TODAY],
      );
      expect(m[eur][chf]).toBe(stored.correlation);
    });

    it('should serve an older day by date and default to window 100', async () => {
      const res = await request(t.url).get(`/api/v1/correlation/matrix?date=${PAST}`).expect(200);
      expect(res.body).toMatchObject({ window: 100, date: PAST });
      const short = DEFAULT_INSTRUMENTS.indexOf(SHORT);
      expect(res.body.matrix[0][short]).toBeNull();
    });

    it('should answer 400 for a window or date that is wrong and 404 for a day without a matrix', async () => {
      for (const [query, field] of [
        ['window=150', 'window'],
        ['window=abc', 'window'],
        ['date=24-12-2020', 'date'],
        ['date=2020-13-45', 'date'],
      ]) {
        const res = await request(t.url).get(`/api/v1/correlation/matrix?${query}`).expect(400);
        expect(JSON.stringify(res.body.message)).toContain(field);
      }
      await request(t.url).get('/api/v1/correlation/matrix?date=2001-01-01').expect(404);
    });
  });

  describe('GET /api/v1/correlation/pairs', () => {
    it('should return the latest value, its category and the daily history in the order asked', async () => {
      const res = await request(t.url)
        .get('/api/v1/correlation/pairs?pair1=USD_CHF&pair2=EUR_USD&window=100')
        .expect(200);
      expect(res.body.pair1).toBe('USD_CHF');
      expect(res.body.pair2).toBe('EUR_USD');
      expect(res.body.latest).toMatchObject({
        date: TODAY,
        category: 'negatively_correlated',
        sample_size: 100,
      });
      expect(res.body.history.map((h: { date: string }) => h.date)).toEqual([TODAY, PAST]);
      expect(res.body.history[0].correlation).toBe(res.body.latest.correlation);
    });

    it('should answer 400 for missing, malformed or equal pairs and 404 for untracked ones', async () => {
      for (const [query, field] of [
        ['pair2=EUR_USD', 'pair1'],
        ['pair1=EURUSD&pair2=USD_CHF', 'pair1'],
        ['pair1=USD_CHF&pair2=eur_usd', 'pair2'],
        ['pair1=EUR_USD&pair2=EUR_USD', 'pair2'],
        ['pair1=EUR_USD&pair2=USD_CHF&window=7', 'window'],
        ['pair1=EUR_USD&pair2=USD_CHF&limit=0', 'limit'],
      ]) {
        const res = await request(t.url).get(`/api/v1/correlation/pairs?${query}`).expect(400);
        expect(JSON.stringify(res.body.message)).toContain(field);
      }
      const res = await request(t.url)
        .get('/api/v1/correlation/pairs?pair1=EUR_USD&pair2=USD_SEK')
        .expect(404);
      expect(res.body.message).toContain('USD_SEK');
    });
  });

  describe('GET /api/v1/best-pairs', () => {
    it('should default to the top five across hedging and diversification, interleaved by rank', async () => {
      const res = await request(t.url).get('/api/v1/best-pairs').expect(200);
      expect(res.body).toMatchObject({ date: TODAY, window: 100, category: null, count: 5 });
      expect(
        res.body.pairs.map((p: { category: string; rank: number }) => `${p.category}:${p.rank}`),
      ).toEqual([
        'negatively_correlated:1',
        'uncorrelated:1',
        'negatively_correlated:2',
        'uncorrelated:2',
        'negatively_correlated:3',
      ]);
      for (const p of res.body.pairs) expect(p.reason).toContain(`${p.pair1} and ${p.pair2}`);
    });

    it('should filter by category, limit and window', async () => {
      const res = await request(t.url)
        .get('/api/v1/best-pairs?category=highly_correlated&limit=3&window=200')
        .expect(200);
      expect(res.body.window).toBe(200);
      expect(res.body.count).toBeLessThanOrEqual(3);
      expect(
        res.body.pairs.every((p: { category: string }) => p.category === 'highly_correlated'),
      ).toBe(true);
      expect(res.body.pairs.map((p: { rank: number }) => p.rank)).toEqual(
        res.body.pairs.map((_: unknown, i: number) => i + 1),
      );
    });

    it('should answer 400 naming the bad parameter', async () => {
      for (const [query, field] of [
        ['category=hedging', 'category'],
        ['limit=0', 'limit'],
        ['limit=101', 'limit'],
        ['window=300', 'window'],
      ]) {
        const res = await request(t.url).get(`/api/v1/best-pairs?${query}`).expect(400);
        expect(JSON.stringify(res.body.message)).toContain(field);
      }
    });
  });
});
