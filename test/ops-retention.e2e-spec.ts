import { DataSource } from 'typeorm';
import { JobsService } from '../src/jobs/jobs.service';
import { RetentionService } from '../src/retention/retention.service';
import { insertCandle } from './utils/ops-helpers';
import { startTestApp, TestApp } from './utils/test-app';

/** Booting an app (migrations, Redis connect timeouts) on a busy 2-core machine. */
const HOOK_TIMEOUT_MS = 60_000;

const HOUR = 3_600_000;
const NOW = new Date('2026-03-10T12:00:00.000Z');
// DATA_RETENTION_DAYS=365 and AUDIT_RETENTION_HOURS=24 (the defaults) from NOW:
const DATA_CUTOFF = new Date('2025-03-10T12:00:00.000Z');
const AUDIT_CUTOFF = new Date('2026-03-09T12:00:00.000Z');
const OLD_CANDLES = 25;

const count = async (db: DataSource, table: string): Promise<number> =>
  (await db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

const times = async (db: DataSource, table: string, column = 'time'): Promise<string[]> =>
  (
    await db.query(
      `SELECT to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS t FROM ${table} ORDER BY ${column}`,
    )
  ).map((r: { t: string }) => r.t);

async function seed(db: DataSource): Promise<void> {
  // Candles: 25 old ones (the newest 1 h before the cutoff), one exactly at the cutoff, one after.
  for (let i = 1; i <= OLD_CANDLES; i += 1) {
    await insertCandle(db, 'EUR_USD', new Date(DATA_CUTOFF.getTime() - i * HOUR));
  }
  await insertCandle(db, 'EUR_USD', DATA_CUTOFF);
  await insertCandle(db, 'EUR_USD', new Date(DATA_CUTOFF.getTime() + HOUR));
  await insertCandle(db, 'GBP_USD', new Date(DATA_CUTOFF.getTime() - HOUR));
  for (const [instrument, offset] of [
    ['EUR_USD', -1],
    ['EUR_USD', 0],
    ['EUR_USD', 1],
  ] as const) {
    await db.query(
      `INSERT INTO volatility_metrics (instrument, time, sma_20) VALUES ($1, $2, 1.1)`,
      [instrument, new Date(DATA_CUTOFF.getTime() + offset * 1000).toISOString()],
    );
  }
  // Date columns: the day before the cutoff's date goes, the cutoff's date and later stay.
  for (const day of ['2025-03-09', '2025-03-10', '2025-03-11']) {
    await db.query(
      `INSERT INTO correlation_matrix (pair1, pair2, time, correlation, window_size) VALUES ('EUR_USD', 'GBP_USD', $1, 0.8, 100)`,
      [day],
    );
    await db.query(
      `INSERT INTO best_pairs_tracker (time, pair1, pair2, correlation, category, reason, rank, window_size)
       VALUES ($1, 'EUR_USD', 'GBP_USD', 0.8, 'highly_correlated', 'share USD', 1, 100)`,
      [day],
    );
  }
  for (const offsetMs of [-1000, 0, 1000]) {
    await db.query(
      `INSERT INTO real_time_prices_audit (instrument, bid, ask, mid, timestamp) VALUES ('EUR_USD', 1.1, 1.1002, 1.1001, $1)`,
      [new Date(AUDIT_CUTOFF.getTime() + offsetMs).toISOString()],
    );
  }
}

describe(RetentionService.name, () => {
  let t: TestApp;
  let retention: RetentionService;

  beforeAll(async () => {
    t = await startTestApp(
      { DATA_RETENTION_DAYS: '365', AUDIT_RETENTION_HOURS: '24' },
      'ops_retention',
    );
    retention = t.app.get(RetentionService);
    await seed(t.dataSource);
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await t?.close();
  }, HOOK_TIMEOUT_MS);

  it('should count in a dry run and delete nothing', async () => {
    const before = await count(t.dataSource, 'oanda_candles');
    const data = await retention.purgeData({ now: NOW, dryRun: true });
    const audit = await retention.pruneAudit({ now: NOW, dryRun: true });

    expect(data.dryRun).toBe(true);
    expect(data.tables.map((r) => [r.table, r.rows, r.cutoff])).toEqual([
      ['oanda_candles', OLD_CANDLES + 1, DATA_CUTOFF.toISOString()],
      ['volatility_metrics', 1, DATA_CUTOFF.toISOString()],
      ['correlation_matrix', 1, '2025-03-10'],
      ['best_pairs_tracker', 1, '2025-03-10'],
    ]);
    expect(audit.tables.map((r) => [r.table, r.rows])).toEqual([['real_time_prices_audit', 1]]);
    expect(await count(t.dataSource, 'oanda_candles')).toBe(before);
    expect(await count(t.dataSource, 'real_time_prices_audit')).toBe(3);
  });

  it('should delete only one instrument when asked to', async () => {
    const result = await retention.purgeData({ now: NOW, instruments: ['GBP_USD'] });
    expect(result.tables.find((r) => r.table === 'oanda_candles')?.rows).toBe(1);
    // GBP_USD also appears in the correlation rows as pair2: the old one goes.
    expect(result.tables.find((r) => r.table === 'correlation_matrix')?.rows).toBe(1);
    expect(result.tables.find((r) => r.table === 'volatility_metrics')?.rows).toBe(0);
    expect(await count(t.dataSource, 'oanda_candles')).toBe(OLD_CANDLES + 2);
  });

  it('should delete exactly the rows older than the cutoff, in batches', async () => {
    const result = await retention.purgeData({ now: NOW, batchSize: 7 });
    const candles = result.tables.find((r) => r.table === 'oanda_candles');
    expect(candles).toMatchObject({ rows: OLD_CANDLES, batches: 4 });

    expect(await times(t.dataSource, 'oanda_candles')).toEqual([
      '2025-03-10T12:00:00',
      '2025-03-10T13:00:00',
    ]);
    expect(await times(t.dataSource, 'volatility_metrics')).toEqual([
      '2025-03-10T12:00:00',
      '2025-03-10T12:00:01',
    ]);
    const days = async (table: string) =>
      (
        await t.dataSource.query(
          `SELECT to_char(time, 'YYYY-MM-DD') AS d FROM ${table} ORDER BY time`,
        )
      ).map((r: { d: string }) => r.d);
    expect(await days('correlation_matrix')).toEqual(['2025-03-10', '2025-03-11']);
    expect(await days('best_pairs_tracker')).toEqual(['2025-03-10', '2025-03-11']);
    // Audit rows are not data: only the audit pruning touches them.
    expect(await count(t.dataSource, 'real_time_prices_audit')).toBe(3);
  });

  it('should prune audit rows older than the audit cutoff and keep the boundary', async () => {
    const result = await retention.pruneAudit({ now: NOW });
    expect(result.total).toBe(1);
    expect(await times(t.dataSource, 'real_time_prices_audit', 'timestamp')).toEqual([
      '2026-03-09T12:00:00',
      '2026-03-09T12:00:01',
    ]);
  });

  it('should find nothing on a second run', async () => {
    const data = await retention.purgeData({ now: NOW });
    const audit = await retention.pruneAudit({ now: NOW });
    expect(data.total + audit.total).toBe(0);
  });

  it('should run as the retention job with a dry run and log both steps', async () => {
    await insertCandle(t.dataSource, 'USD_JPY', new Date('2020-01-06T10:00:00Z'));
    // --as-of 2026-03-09 = as if run at 2026-03-10T00:00Z: the candles of 2025-03-10 12:00 stay inside.
    const result = await t.app
      .get(JobsService)
      .execute('retention', { dryRun: true, asOf: new Date('2026-03-09T00:00:00Z') });
    expect(result.status).toBe('success');
    expect(result.recordsProcessed).toBe(1);
    expect(result.details).toMatchObject({
      steps: {
        data: { details: { dry_run: true, tables: { oanda_candles: { rows: 1 } } } },
        audit: { details: { dry_run: true } },
      },
    });
    expect(await count(t.dataSource, 'oanda_candles')).toBe(3);
  });
});
