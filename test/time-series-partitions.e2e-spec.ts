import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations';
import { PartitionTimeSeries1764200000001 } from '../migrations/1764200000001-PartitionTimeSeries';
import { CandleStore } from '../src/candles/candle.store';
import { RetentionService } from '../src/retention/retention.service';
import { ENTITIES } from '../src/entities';
import { AppConfig } from '../src/platform/config/app-config';
import { buildDataSourceOptions } from '../src/platform/database/data-source-options';
import { dropDatabase, ensureDatabase } from '../src/platform/database/ensure-database';
import { DAY_MS, HOUR_MS } from '../src/platform/time/durations';
import { METRIC_COLUMNS, type MetricColumns } from '../src/volatility/indicators';
import { VolatilityMetricsStore } from '../src/volatility/volatility-metrics.store';
import { makeCandles } from './factories/candles.factory';
import { insertHistory, tableChecksum } from './factories/history.factory';
import { testEnv } from './utils/test-env';
import { startTestApp, TestApp } from './utils/test-app';

const HOOK_TIMEOUT_MS = 120_000;
const TABLES = ['oanda_candles', 'volatility_metrics'] as const;

const relkind = async (db: DataSource, table: string): Promise<string> =>
  (await db.query(`SELECT relkind::text AS k FROM pg_class WHERE relname = $1`, [table]))[0].k;

/** Partitions of a table as pg_inherits lists them, by name. */
const partitions = async (db: DataSource, table: string): Promise<string[]> =>
  (
    await db.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = to_regclass($1) ORDER BY 1`,
      [table],
    )
  ).map((r: { name: string }) => r.name);

const count = async (db: DataSource, sql: string, params: unknown[] = []): Promise<number> =>
  (await db.query(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n;

const checksums = async (db: DataSource) => ({
  oanda_candles: await tableChecksum(db, 'oanda_candles'),
  volatility_metrics: await tableChecksum(db, 'volatility_metrics'),
  view: await tableChecksum(db, 'v_eur_usd_closes'),
});

describe('PartitionTimeSeries migration on a database holding a year of data', () => {
  const config = AppConfig.fromEnv(testEnv({}, 'partition_migration'));
  let ds: DataSource;

  beforeAll(async () => {
    await ensureDatabase(config.database.url!);
    const before = await new DataSource({
      ...buildDataSourceOptions(config, ENTITIES),
      migrations: MIGRATIONS.filter((m) => m !== PartitionTimeSeries1764200000001),
    }).initialize();
    await before.runMigrations();
    // A year of four pairs up to last month, metrics for one of them, an operator's view and grant.
    const from = new Date(Date.UTC(new Date().getUTCFullYear() - 1, new Date().getUTCMonth(), 1));
    await insertHistory(before, {
      instruments: ['EUR_USD', 'GBP_USD', 'USD_JPY', 'AUD_USD'],
      from,
      hours: 365 * 24,
    });
    await before.query(
      `INSERT INTO volatility_metrics (instrument, time, volatility_20, sma_20, rsi_14)
       SELECT 'EUR_USD', $1::timestamptz + g * interval '1 hour', g / 1e4, 1 + g / 1e5, CASE WHEN g % 9 = 0 THEN NULL ELSE g % 100 END
         FROM generate_series(0, 365 * 24 - 1) AS g`,
      [from.toISOString()],
    );
    await before.query(
      `CREATE VIEW v_eur_usd_closes AS SELECT id, time, close_mid FROM oanda_candles WHERE instrument = 'EUR_USD'`,
    );
    await before.query(`GRANT SELECT ON oanda_candles, v_eur_usd_closes TO PUBLIC`);
    await before.destroy();
    ds = await new DataSource(buildDataSourceOptions(config, ENTITIES)).initialize();
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await ds?.destroy();
    await dropDatabase(config.database.url!);
  });

  it('should migrate up, down and up again with every row, view and grant kept', async () => {
    const before = await checksums(ds);
    expect(before.oanda_candles.rows).toBeGreaterThan(4 * 365 * 24 * (5 / 7) - 200);
    expect(before.volatility_metrics.rows).toBe(365 * 24);

    await ds.runMigrations();
    for (const table of TABLES) expect([table, await relkind(ds, table)]).toEqual([table, 'p']);
    // A month per month of data (12 or 13) plus the ones ahead, and the default one, which stays empty.
    const names = await partitions(ds, 'oanda_candles');
    expect(names.length).toBeGreaterThanOrEqual(14);
    expect(names).toContain('oanda_candles_default');
    expect(await count(ds, 'oanda_candles_default')).toBe(0);
    expect(await checksums(ds)).toEqual(before);
    const [{ acl }] = await ds.query(
      `SELECT relacl::text AS acl FROM pg_class WHERE relname = 'v_eur_usd_closes'`,
    );
    expect(acl).toMatch(/(^|[{,])=r\//);
    // The unique key holds on the partitioned table, under the seed schema's name.
    const [row] = await ds.query(
      `SELECT * FROM oanda_candles WHERE instrument = 'EUR_USD' LIMIT 1`,
    );
    const columns = Object.keys(row).filter((c) => c !== 'id');
    const again = await ds.query(
      `INSERT INTO oanda_candles (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM oanda_candles WHERE id = $1
       ON CONFLICT ON CONSTRAINT unique_candle DO NOTHING RETURNING id`,
      [row.id],
    );
    expect(again).toEqual([]);

    await ds.undoLastMigration();
    for (const table of TABLES) expect([table, await relkind(ds, table)]).toEqual([table, 'r']);
    expect(await checksums(ds)).toEqual(before);
    // The identity sequence carries on after the copied ids.
    const [{ id }] = await ds.query(
      `INSERT INTO volatility_metrics (instrument, time) VALUES ('X', now()) RETURNING id`,
    );
    expect(Number(id)).toBeGreaterThan(365 * 24);
    await ds.query(`DELETE FROM volatility_metrics WHERE instrument = 'X'`);

    await ds.runMigrations();
    expect(await relkind(ds, 'oanda_candles')).toBe('p');
    expect(await checksums(ds)).toEqual(before);
  }, 240_000);
});

describe('Monthly partitions of candles and metrics in the running app', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ DATA_RETENTION_DAYS: '365' }, 'time_partitions');
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await t?.close();
  }, HOOK_TIMEOUT_MS);

  it('should have the partitions of this month and the next ones from boot', async () => {
    const names = await partitions(t.dataSource, 'volatility_metrics');
    const now = new Date();
    const month = (k: number) =>
      `volatility_metrics_p${new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + k, 1)).toISOString().slice(0, 7).replace('-', '')}`;
    expect(names).toEqual(expect.arrayContaining([month(0), month(1), month(2), month(3)]));
  });

  it('should write candles and metrics of a far past and a far future month into partitions of their own', async () => {
    const store = t.app.get(CandleStore);
    const past = makeCandles(new Date('1995-03-31T22:00:00Z'), 4); // straddles into April
    const future = makeCandles(new Date('2099-12-31T20:00:00Z'), 2);
    const counts = await store.upsert([...past, ...future]);
    expect(counts.inserted).toBe(6);
    const names = await partitions(t.dataSource, 'oanda_candles');
    expect(names).toEqual(
      expect.arrayContaining([
        'oanda_candles_p199503',
        'oanda_candles_p199504',
        'oanda_candles_p209912',
      ]),
    );
    expect(await count(t.dataSource, 'oanda_candles_p199504')).toBe(2);
    expect(await count(t.dataSource, 'oanda_candles_default')).toBe(0);

    const metrics = t.app.get(VolatilityMetricsStore);
    const times = [Date.parse('1990-01-01T00:00:00Z'), Date.parse('2101-06-01T00:00:00Z')];
    const columns = Object.fromEntries(
      METRIC_COLUMNS.map((c) => [c, Float64Array.from([0.5, 0.6])]),
    ) as unknown as MetricColumns;
    expect((await metrics.upsert('EUR_USD', times, columns, 0)).written).toBe(2);
    expect(await partitions(t.dataSource, 'volatility_metrics')).toEqual(
      expect.arrayContaining(['volatility_metrics_p199001', 'volatility_metrics_p210106']),
    );
    expect(await count(t.dataSource, 'volatility_metrics_default')).toBe(0);
  });

  it('should take a raw SQL write of a month without a partition, then give it one', async () => {
    await t.dataSource.query(
      `INSERT INTO volatility_metrics (instrument, time, sma_20) VALUES ('EUR_USD', '1987-07-14T10:00:00Z', 1.5)`,
    );
    expect(await count(t.dataSource, 'volatility_metrics_default')).toBe(1);
    const dry = await t.app.get(RetentionService).maintainPartitions({ dryRun: true });
    expect(dry).toEqual(['volatility_metrics_p198707']);
    expect(await count(t.dataSource, 'volatility_metrics_default')).toBe(1);
    const created = await t.app.get(RetentionService).maintainPartitions();
    expect(created).toEqual(['volatility_metrics_p198707']);
    expect(await count(t.dataSource, 'volatility_metrics_default')).toBe(0);
    expect(await count(t.dataSource, 'volatility_metrics_p198707')).toBe(1);
  });

  it('should drop whole months past the retention window on a ten-year history and trim the straddling one', async () => {
    const now = new Date();
    const cutoff = new Date(now.getTime() - 365 * DAY_MS);
    const from = new Date(Math.floor((now.getTime() - 10 * 365 * DAY_MS) / HOUR_MS) * HOUR_MS);
    const inserted = await insertHistory(t.dataSource, {
      instruments: ['EUR_USD', 'USD_JPY'],
      from,
      hours: 10 * 365 * 24,
    });
    expect(inserted).toBeGreaterThan(100_000);
    // The rows went to the default partition; the partitions step gives every month its own.
    await t.app.get(RetentionService).maintainPartitions();
    expect(await count(t.dataSource, 'oanda_candles_default')).toBe(0);
    const before = await partitions(t.dataSource, 'oanda_candles');
    expect(before.length).toBeGreaterThanOrEqual(120);
    const kept = await count(t.dataSource, 'oanda_candles WHERE time >= $1', [cutoff]);
    const cutoffMonth = `oanda_candles_p${cutoff.toISOString().slice(0, 7).replace('-', '')}`;

    const result = await t.app.get(RetentionService).purgeData({ now });
    const candles = result.tables.find((r) => r.table === 'oanda_candles');
    expect(candles?.partitions).toBeGreaterThanOrEqual(108);

    const after = await partitions(t.dataSource, 'oanda_candles');
    const oldest = after.filter((n) => n !== 'oanda_candles_default').sort()[0];
    expect(oldest).toBe(cutoffMonth);
    expect(before.length - after.length).toBe(candles?.partitions);
    // Nothing older than the cutoff is left, nothing newer went.
    expect(await count(t.dataSource, 'oanda_candles WHERE time < $1', [cutoff])).toBe(0);
    expect(await count(t.dataSource, 'oanda_candles WHERE time >= $1', [cutoff])).toBe(kept);
    expect(await count(t.dataSource, cutoffMonth)).toBeGreaterThan(0);
    // The far-past metric months went too; the far-future ones stay.
    expect(await partitions(t.dataSource, 'volatility_metrics')).not.toContain(
      'volatility_metrics_p199001',
    );
    expect(await partitions(t.dataSource, 'volatility_metrics')).toContain(
      'volatility_metrics_p210106',
    );
  }, 240_000);
});
