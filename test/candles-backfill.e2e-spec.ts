import { windowStart } from '../src/ingestion/backfill-plan';
import { BackfillHooks } from '../src/ingestion/backfill-hooks.service';
import { BackfillService, type BackfillRequest } from '../src/ingestion/backfill.service';
import { countExpectedCandles } from '../src/platform/time/trading-calendar';
import { tryAdvisoryLock } from '../src/platform/locks/advisory-lock';
import type { FetchCandlesParams } from '../src/market-data/market-data-provider.interface';
import { MarketDataService } from '../src/market-data/market-data.service';
import { startTestApp, TestApp } from './utils/test-app';

// A fixed Wednesday in the past: the simulated market's candles there are all complete and deterministic.
const NOW = new Date('2026-11-18T12:34:00Z');
const INSTRUMENTS = ['EUR_USD', 'GBP_USD', 'USD_JPY'];

describe(BackfillService.name, () => {
  let t: TestApp;
  let backfill: BackfillService;
  const calls: FetchCandlesParams[] = [];

  const request = (over: Partial<BackfillRequest> = {}): BackfillRequest => ({
    instruments: INSTRUMENTS,
    granularity: 'H1',
    days: 30,
    now: NOW,
    ...over,
  });
  const counts = async (): Promise<Record<string, number>> => {
    const rows = await t.dataSource.query(
      `SELECT instrument, count(*)::int AS n FROM oanda_candles GROUP BY instrument`,
    );
    return Object.fromEntries(
      rows.map((r: { instrument: string; n: number }) => [r.instrument, r.n]),
    );
  };
  const snapshot = (instrument: string) =>
    t.dataSource.query(
      `SELECT time, open_bid::text, close_ask::text, high_mid::text, volume, complete, updated_at, xmin::text AS xmin
       FROM oanda_candles WHERE instrument = $1 ORDER BY time`,
      [instrument],
    );

  beforeAll(async () => {
    t = await startTestApp({}, 'candles_backfill');
    backfill = t.app.get(BackfillService);
    // Observe (not replace) the facade: every provider fetch is recorded, then delegated.
    const market = t.app.get(MarketDataService);
    const fetchCandles = market.fetchCandles.bind(market);
    market.fetchCandles = (params) => {
      calls.push(params);
      return fetchCandles(params);
    };
  });

  afterAll(async () => {
    await t?.close();
  });

  beforeEach(() => {
    calls.length = 0;
  });

  it('should backfill the window of every instrument and log a backfill row', async () => {
    const run = await backfill.run(request());
    const expected = countExpectedCandles(windowStart(NOW, 30, 'H1'), NOW.getTime() + 1, 'H1');
    expect(expected).toBeGreaterThan(400);
    expect(run.job.status).toBe('success');
    expect(await counts()).toEqual({ EUR_USD: expected, GBP_USD: expected, USD_JPY: expected });
    for (const r of run.results) {
      expect(r).toMatchObject({ status: 'ok', inserted: expected, updated: 0, fetches: 1 });
      expect(r.first?.toISOString()).toBe('2026-10-19T12:00:00.000Z');
      expect(r.last?.toISOString()).toBe('2026-11-18T12:00:00.000Z');
      expect(r.gaps).toEqual([]);
    }
    expect(calls).toHaveLength(3);

    const [row] = await t.dataSource.query(
      `SELECT job_name, status, records_processed, details FROM cron_job_log WHERE id = $1`,
      [run.job.logId],
    );
    expect(row).toMatchObject({
      job_name: 'backfill',
      status: 'success',
      records_processed: 3 * expected,
    });
    expect(row.details.instruments.GBP_USD).toMatchObject({
      status: 'ok',
      inserted: expected,
      gaps_left: 0,
    });
  });

  it('should change nothing and ask the provider for almost nothing when rerun', async () => {
    const before = await snapshot('EUR_USD');
    const countsBefore = await counts();
    const run = await backfill.run(request());
    expect(run.job.status).toBe('success');
    expect(calls.length).toBeLessThanOrEqual(INSTRUMENTS.length);
    expect(run.results.every((r) => r.inserted === 0 && r.updated === 0)).toBe(true);
    expect(await counts()).toEqual(countsBefore);
    // Same rows, same updated_at, same tuple versions: the upsert wrote nothing.
    expect(await snapshot('EUR_USD')).toEqual(before);
    const [dupes] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM oanda_candles GROUP BY instrument, time, granularity HAVING count(*) > 1) d`,
    );
    expect(dupes.n).toBe(0);
  });

  it('should fill only the holes between --from and --to, one request per hole', async () => {
    const before = await snapshot('EUR_USD');
    // Two holes: three Tuesday hours, and Friday evening + Sunday evening (one hole across the weekend).
    const [deleted] = await t.dataSource.query(
      `DELETE FROM oanda_candles WHERE instrument = 'EUR_USD' AND (
         time BETWEEN '2026-11-10T08:00Z' AND '2026-11-10T10:00Z' OR
         time BETWEEN '2026-11-13T19:00Z' AND '2026-11-15T22:00Z') RETURNING time`,
    );
    expect(deleted).toHaveLength(3 + 4);
    const run = await backfill.run(
      request({ from: new Date('2026-11-09T00:00Z'), to: new Date('2026-11-17T00:00Z') }),
    );
    expect(run.job.status).toBe('success');
    const eur = run.results.find((r) => r.instrument === 'EUR_USD');
    expect(eur).toMatchObject({ holesPlanned: 2, inserted: 7, fetches: 2 });
    expect(calls.map((c) => [c.instrument, c.from.toISOString(), c.to?.toISOString()])).toEqual([
      ['EUR_USD', '2026-11-10T08:00:00.000Z', '2026-11-10T11:00:00.000Z'],
      ['EUR_USD', '2026-11-13T19:00:00.000Z', '2026-11-15T23:00:00.000Z'],
    ]);
    const after = await snapshot('EUR_USD');
    const prices = (rows: Array<Record<string, unknown>>) =>
      rows.map(({ time, open_bid, close_ask, high_mid, volume }) => ({
        time,
        open_bid,
        close_ask,
        high_mid,
        volume,
      }));
    expect(prices(after)).toEqual(prices(before));
  });

  it('should fetch the head of the window when --days grows', async () => {
    const run = await backfill.run(request({ days: 37, instruments: ['USD_JPY'] }));
    const head = countExpectedCandles(windowStart(NOW, 37, 'H1'), windowStart(NOW, 30, 'H1'), 'H1');
    expect(head).toBeGreaterThan(0);
    expect(run.results[0]).toMatchObject({ status: 'ok', inserted: head, fetches: 1 });
    expect(calls[0].to?.toISOString()).toBe('2026-10-19T12:00:00.000Z');
  });

  it('should go on with the other instruments when one fails, and log partial', async () => {
    const run = await backfill.run(
      request({ instruments: ['EUR_USD', 'not-an-instrument', 'GBP_USD'] }),
    );
    expect(run.job.status).toBe('partial');
    expect(run.results.map((r) => r.status)).toEqual(['ok', 'failed', 'ok']);
    expect(run.results[1].error).toMatch(/instrument must look like EUR_USD/);
    expect(run.job.errorMessage).toMatch(/^not-an-instrument: /);
  });

  it('should run the registered backfill hooks with --with-metrics', async () => {
    const seen: Array<{ instruments: readonly string[]; granularity: string }> = [];
    t.app.get(BackfillHooks).register({
      name: 'test-hook',
      run: async (p) => {
        seen.push({ instruments: p.instruments, granularity: p.granularity });
        return { recordsProcessed: 42 };
      },
    });
    const run = await backfill.run(request({ instruments: ['GBP_USD'], withHooks: true }));
    expect(seen).toEqual([{ instruments: ['GBP_USD'], granularity: 'H1' }]);
    expect(run.hooks['test-hook']).toEqual({ recordsProcessed: 42 });
    expect(run.job.details?.hooks).toMatchObject({ 'test-hook': { recordsProcessed: 42 } });
  });

  it('should log skipped and fetch nothing while another backfill holds the lock', async () => {
    const lock = await tryAdvisoryLock(t.dataSource, 'job:backfill');
    expect(lock).not.toBeNull();
    try {
      const run = await backfill.run(request());
      expect(run.job.status).toBe('skipped');
      expect(run.results).toEqual([]);
      expect(calls).toHaveLength(0);
    } finally {
      await lock?.release();
    }
  });
});
