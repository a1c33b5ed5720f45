import { BackfillService } from '../src/ingestion/backfill.service';
import { CandleReader } from '../src/candles/candle-reader.store';
import { CandleSyncService } from '../src/ingestion/candle-sync.service';
import { RetentionService } from '../src/retention/retention.service';
import { CANDLE_PARTITIONS, CandleSeriesService } from '../src/candles';
import { ensurePartitions, listPartitions } from '../src/platform/database';
import { METRIC_PARTITIONS } from '../src/volatility';
import { insertHistory } from './factories/history.factory';
import { VolatilityService } from '../src/volatility/volatility.service';
import { startTestApp, TestApp } from './utils/test-app';

const NOW = new Date('2026-11-18T12:34:00Z');

/**
 * candle_summary (per-instrument count and range, read by /instruments, the
 * sync and the backfill planner) must equal an aggregate over oanda_candles
 * after every kind of write: backfill, sync, hand edits, retention, TRUNCATE.
 */
describe('candle_summary', () => {
  let t: TestApp;
  const signal = new AbortController().signal;

  type Row = {
    instrument: string;
    granularity: string;
    n: number;
    first: string;
    last: string;
    last_complete: string | null;
  };
  const summary = async (): Promise<Row[]> =>
    t.dataSource.query(
      `SELECT instrument, granularity, candle_count::int AS n, first_time::text AS first,
              last_time::text AS last, last_complete_time::text AS last_complete
       FROM candle_summary ORDER BY 1, 2`,
    );
  const aggregate = async (): Promise<Row[]> =>
    t.dataSource.query(
      `SELECT instrument, granularity, count(*)::int AS n, min(time)::text AS first,
              max(time)::text AS last, (max(time) FILTER (WHERE complete))::text AS last_complete
       FROM oanda_candles GROUP BY 1, 2 ORDER BY 1, 2`,
    );
  const expectInSync = async (): Promise<Row[]> => {
    const [s, a] = [await summary(), await aggregate()];
    expect(s).toEqual(a);
    return s;
  };

  // volatility_metrics_summary (row count and newest time per instrument, read by the hourly
  // metrics step instead of count(*)) must follow volatility_metrics the same way.
  type MetricsRow = { instrument: string; n: number; newest: string };
  const expectMetricsInSync = async (): Promise<MetricsRow[]> => {
    const s: MetricsRow[] = await t.dataSource.query(
      `SELECT instrument, row_count::int AS n, newest_time::text AS newest
       FROM volatility_metrics_summary ORDER BY 1`,
    );
    const a: MetricsRow[] = await t.dataSource.query(
      `SELECT instrument, count(*)::int AS n, max(time)::text AS newest
       FROM volatility_metrics GROUP BY 1 ORDER BY 1`,
    );
    expect(s).toEqual(a);
    return s;
  };

  beforeAll(async () => {
    t = await startTestApp({ DATA_RETENTION_DAYS: '2' }, 'candles_summary');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('should match the candles after a backfill and report them through CandleReader.bounds', async () => {
    const run = await t.app.get(BackfillService).run({
      instruments: ['EUR_USD', 'GBP_USD'],
      granularity: 'H1',
      days: 4,
      now: NOW,
    });
    expect(run.job.status).toBe('success');
    const rows = await expectInSync();
    expect(rows.map((r) => r.instrument)).toEqual(['EUR_USD', 'GBP_USD']);
    expect(rows[0].n).toBeGreaterThan(50);
    const bounds = await t.app.get(CandleReader).bounds('H1');
    expect(bounds.get('EUR_USD')?.count).toBe(rows[0].n);
    expect(bounds.has('USD_JPY')).toBe(false);

    const metrics = await t.app.get(VolatilityService).run(['EUR_USD', 'GBP_USD'], 'all', signal);
    expect(metrics.status).toBe('success');
    const m = await expectMetricsInSync();
    expect(m.map((r) => r.n)).toEqual([rows[0].n, rows[1].n]);
    // A rerun rewrites nothing new: the upsert's updates leave the counts alone.
    await t.app.get(VolatilityService).run(['EUR_USD'], 'all', signal);
    expect(await expectMetricsInSync()).toEqual(m);
  });

  it('should count the candles up to a time from the summary exactly as a count(*) does', async () => {
    for (const to of ['2026-11-15T00:00Z', '2026-11-18T07:00Z', '2026-11-18T12:00Z']) {
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM oanda_candles WHERE instrument = 'EUR_USD' AND time <= $1`,
        [to],
      );
      expect(await t.app.get(CandleSeriesService).countUpTo('EUR_USD', 'H1', new Date(to))).toBe(n);
    }
  });

  it('should follow hand edits (a newest candle turned incomplete, rows deleted) and the sync that repairs them', async () => {
    await t.dataSource.query(
      `UPDATE oanda_candles SET complete = false WHERE instrument = 'GBP_USD' AND time = (
         SELECT max(time) FROM oanda_candles WHERE instrument = 'GBP_USD')`,
    );
    await t.dataSource.query(
      `DELETE FROM oanda_candles WHERE instrument = 'EUR_USD' AND time > '2026-11-18T07:00Z'`,
    );
    const edited = await expectInSync();
    expect(edited.find((r) => r.instrument === 'EUR_USD')?.last).toMatch(/^2026-11-18 07:00/);
    await t.dataSource.query(
      `DELETE FROM volatility_metrics WHERE instrument = 'EUR_USD' AND time > '2026-11-18T07:00Z'`,
    );
    const metrics = await expectMetricsInSync();
    expect(metrics.find((r) => r.instrument === 'EUR_USD')?.newest).toMatch(/^2026-11-18 07:00/);

    const outcome = await t.app
      .get(CandleSyncService)
      .syncAll({ signal, instruments: ['EUR_USD', 'GBP_USD'], now: NOW });
    expect(outcome.status).toBe('success');
    const synced = await expectInSync();
    expect(synced.find((r) => r.instrument === 'EUR_USD')?.last).toMatch(/^2026-11-18 1[12]:00/);
  });

  it('should stay right after retention deletes the oldest candles, and after a TRUNCATE', async () => {
    const before = await summary();
    const metricsBefore = await expectMetricsInSync();
    const result = await t.app.get(RetentionService).purgeData({ now: NOW, batchSize: 7 });
    expect(result).toBeDefined();
    const after = await expectInSync();
    expect(after[0].n).toBeLessThan(before[0].n);
    expect(after[0].first > before[0].first).toBe(true);

    const metricsAfter = await expectMetricsInSync();
    expect(metricsAfter[0].n).toBeLessThan(metricsBefore[0].n);

    await t.dataSource.query(`TRUNCATE oanda_candles`);
    expect(await expectInSync()).toEqual([]);
    await t.dataSource.query(`TRUNCATE volatility_metrics`);
    expect(await expectMetricsInSync()).toEqual([]);
  });

  it('should stay right when retention drops whole months (DROP TABLE fires no trigger)', async () => {
    const august = Date.parse('2026-08-01T00:00Z');
    await ensurePartitions(t.dataSource, CANDLE_PARTITIONS, [august]);
    await ensurePartitions(t.dataSource, METRIC_PARTITIONS, [august]);
    // An old stretch in August (whole months past the 2-day window) and a recent one that stays.
    await insertHistory(t.dataSource, {
      instruments: ['EUR_USD', 'GBP_USD'],
      from: new Date('2026-08-03T00:00Z'),
      hours: 120,
    });
    await insertHistory(t.dataSource, {
      instruments: ['EUR_USD'],
      from: new Date('2026-11-17T12:00Z'),
      hours: 24,
    });
    await t.dataSource.query(
      `INSERT INTO volatility_metrics (instrument, time) SELECT instrument, time FROM oanda_candles`,
    );
    const before = await expectInSync();
    await expectMetricsInSync();
    expect(before.map((r) => r.instrument)).toEqual(['EUR_USD', 'GBP_USD']);

    await t.app.get(RetentionService).purgeData({ now: NOW });
    const names = async (scheme: typeof CANDLE_PARTITIONS) =>
      (await listPartitions(t.dataSource, scheme)).map((p) => p.name);
    expect(await names(CANDLE_PARTITIONS)).not.toContain('oanda_candles_p202608');
    expect(await names(METRIC_PARTITIONS)).not.toContain('volatility_metrics_p202608');
    // GBP_USD had only August: its summary rows are gone; EUR_USD's count and first time moved.
    const after = await expectInSync();
    expect(after.map((r) => r.instrument)).toEqual(['EUR_USD']);
    expect(after[0].first > before[0].first).toBe(true);
    const metrics = await expectMetricsInSync();
    expect(metrics.map((r) => r.instrument)).toEqual(['EUR_USD']);
  });
});
