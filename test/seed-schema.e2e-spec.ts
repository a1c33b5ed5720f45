import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations';
import { InitialSchema1763700000000 } from '../migrations/1763700000000-InitialSchema';
import { Candle } from '../src/candles/candle.entity';
import { AppConfig } from '../src/platform/config/app-config';
import { appDataSourceOptions } from '../src/entities';
import { dropDatabase, ensureDatabase } from '../src/platform/database/ensure-database';
import { testEnv } from './utils/test-env';

const TABLES = [
  'oanda_candles',
  'volatility_metrics',
  'correlation_matrix',
  'best_pairs_tracker',
  'real_time_prices_audit',
  'market_sessions',
  'cron_job_log',
];
const SEED_PRICE_COLUMNS = ['bid', 'ask', 'mid'].flatMap((side) =>
  ['open', 'high', 'low', 'close'].map((part) => `${part}_${side}`),
);
const OLD_PRICE_COLUMNS = ['bid', 'ask', 'mid'].flatMap((side) =>
  ['open', 'high', 'low', 'close'].map((part) => `${side}_${part}`),
);
const NEW_MIGRATIONS = MIGRATIONS.length - 1;

/**
 * Data written before the seed-schema migrations, in the old column names:
 * candles with distinct prices in every column, every other table too, and
 * audit rows of the last day (hourly partitions), older ones and future ones
 * (default partition).
 */
async function seedOldSchema(ds: DataSource): Promise<void> {
  await ds.query(
    `INSERT INTO oanda_candles (instrument, time, granularity, ${OLD_PRICE_COLUMNS.join(', ')}, volume, complete)
     SELECT i, timestamptz '2026-01-05 00:00Z' + g * interval '1 hour', 'H1',
            ${OLD_PRICE_COLUMNS.map((_, k) => `1 + g / 1e4 + ${k} / 1e5`).join(', ')}, g, g % 7 <> 0
       FROM unnest(ARRAY['EUR_USD', 'USD_JPY']) AS i, generate_series(1, 300) AS g`,
  );
  await ds.query(
    `INSERT INTO volatility_metrics (instrument, time, volatility_20, sma_20, rsi_14)
     SELECT 'EUR_USD', timestamptz '2026-01-05 00:00Z' + g * interval '1 hour', g / 1000.0, 1 + g / 1e4, NULL
       FROM generate_series(1, 100) AS g`,
  );
  await ds.query(
    `INSERT INTO correlation_matrix (pair1, pair2, time, correlation, window_size, sample_size)
     SELECT 'EUR_USD', 'GBP_USD', date '2026-01-05' + g, g / 100.0 - 0.5, w, w
       FROM generate_series(1, 50) AS g, unnest(ARRAY[100, 200]) AS w`,
  );
  await ds.query(
    `INSERT INTO best_pairs_tracker (time, pair1, pair2, correlation, category, reason, rank, window_size)
     SELECT date '2026-01-05' + g, 'EUR_USD', 'USD_CHF', -0.9, 'negatively_correlated', 'hedge ' || g, 1, 100
       FROM generate_series(1, 50) AS g`,
  );
  await ds.query(
    `INSERT INTO real_time_prices_audit (instrument, bid, ask, mid, timestamp)
     SELECT 'EUR_USD', 1.1 + g / 1e5, 1.1002 + g / 1e5, 1.1001 + g / 1e5, now() - g * interval '97 seconds'
       FROM generate_series(-200, 3000) AS g`,
  );
  await ds.query(
    `INSERT INTO cron_job_log (job_name, status, start_time, end_time, duration_seconds, records_processed, details)
     VALUES ('hourly', 'success', '2026-01-05T10:02:00Z', '2026-01-05T10:02:09Z', 9.5, 20, '{"steps": {}}')`,
  );
}

/** Columns that later migrations (not the seed-schema ones) add, with defaults; left out of checksums. */
const LATER_COLUMNS: Record<string, string[]> = { cron_job_log: ['triggered_by'] };

/** md5 of every row of every table, by id; a row's text form is positional, so renames keep it. */
async function checksums(ds: DataSource): Promise<Record<string, { rows: number; md5: string }>> {
  const out: Record<string, { rows: number; md5: string }> = {};
  for (const table of TABLES) {
    // A table that gains columns later is compared by name instead, without those columns.
    const text = LATER_COLUMNS[table]
      ? `(to_jsonb(t) - '{${LATER_COLUMNS[table].join(',')}}'::text[])::text`
      : 't::text';
    const [row] = await ds.query(
      `SELECT count(*)::int AS rows, md5(string_agg(${text}, E'\\n' ORDER BY t.id)) AS md5 FROM ${table} t`,
    );
    out[table] = row;
  }
  return out;
}

const columnsOf = async (ds: DataSource, table: string): Promise<string[]> =>
  (
    await ds.query(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
      [table],
    )
  ).map((r: { column_name: string }) => r.column_name);

describe('Seed schema (../shared/seed-schema.sql)', () => {
  const config = AppConfig.fromEnv(testEnv({}, 'seed_schema'));
  let ds: DataSource;

  beforeAll(async () => {
    await ensureDatabase(config.database.url!);
    // The schema as it was before the seed-schema migrations, holding data.
    const initial = await new DataSource({
      ...appDataSourceOptions(config),
      migrations: [InitialSchema1763700000000],
    }).initialize();
    await initial.runMigrations();
    await seedOldSchema(initial);
    await initial.destroy();
    ds = await new DataSource(appDataSourceOptions(config)).initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await dropDatabase(config.database.url!);
  });

  it('should migrate up, down and up again on a database holding data and lose nothing', async () => {
    const before = await checksums(ds);
    expect(before.oanda_candles.rows).toBe(600);
    expect(before.real_time_prices_audit.rows).toBe(3201);

    await ds.runMigrations();
    expect(await checksums(ds)).toEqual(before);
    expect(await columnsOf(ds, 'oanda_candles')).toEqual(
      expect.arrayContaining(SEED_PRICE_COLUMNS),
    );
    expect(await columnsOf(ds, 'oanda_candles')).not.toContain('bid_open');
    // The last day's rows went to hourly partitions; older and future ones to the default one.
    const [{ n: strays }] = await ds.query(
      `SELECT count(*)::int AS n FROM real_time_prices_audit_default`,
    );
    expect(strays).toBeGreaterThan(0);
    expect(strays).toBeLessThan(3201 - 24 * 36);

    for (let i = 0; i < NEW_MIGRATIONS; i++) await ds.undoLastMigration();
    expect(await checksums(ds)).toEqual(before);
    expect(await columnsOf(ds, 'oanda_candles')).toEqual(expect.arrayContaining(OLD_PRICE_COLUMNS));
    expect(await columnsOf(ds, 'v_latest_candles')).toContain('mid_close');
    const [{ partitioned }] = await ds.query(
      `SELECT relkind = 'p' AS partitioned FROM pg_class WHERE relname = 'real_time_prices_audit'`,
    );
    expect(partitioned).toBe(false);
    // The reverted table hands out ids after the copied ones.
    const [{ id }] = await ds.query(
      `INSERT INTO real_time_prices_audit (instrument, bid, ask, mid, timestamp) VALUES ('X', 1, 1, 1, now()) RETURNING id`,
    );
    expect(Number(id)).toBeGreaterThan(3201);
    await ds.query(`DELETE FROM real_time_prices_audit WHERE id = $1`, [id]);

    await ds.runMigrations();
    expect(await checksums(ds)).toEqual(before);
    expect(await columnsOf(ds, 'v_latest_candles')).toEqual(
      expect.arrayContaining(SEED_PRICE_COLUMNS),
    );
    const [{ id: next }] = await ds.query(
      `INSERT INTO real_time_prices_audit (instrument, bid, ask, mid, timestamp) VALUES ('X', 1, 1, 1, now()) RETURNING id`,
    );
    expect(Number(next)).toBeGreaterThan(3201);
    await ds.query(`DELETE FROM real_time_prices_audit WHERE instrument = 'X'`);
  });

  // Each statement below is written against seed-schema.sql alone: its column names, its
  // literal types (TIMESTAMP without zone, DECIMAL), its constraint names, no column of ours.
  describe('SQL written against the seed schema', () => {
    it('should write and read oanda_candles with the seed price names and constraint', async () => {
      const upsert = `
        INSERT INTO oanda_candles (instrument, time, granularity,
            open_bid, high_bid, low_bid, close_bid, open_ask, high_ask, low_ask, close_ask,
            open_mid, high_mid, low_mid, close_mid, volume)
        VALUES ('GBP_USD', '2026-02-02 10:00:00', 'H1',
            CAST(1.26505 AS DECIMAL(10,5)), 1.26637, 1.26464, 1.26590, 1.26519, 1.26651, 1.26478, 1.26604,
            1.26512, 1.26644, 1.26471, 1.26597, 1834)
        ON CONFLICT ON CONSTRAINT unique_candle
        DO UPDATE SET close_mid = EXCLUDED.close_mid, volume = EXCLUDED.volume`;
      await ds.query(upsert);
      await ds.query(upsert);
      const rows = await ds.query(
        `SELECT instrument, time, open_mid, high_mid, low_mid, close_mid, close_bid, close_ask, volume, created_at
           FROM oanda_candles
          WHERE instrument = 'GBP_USD' AND granularity = 'H1'
            AND time BETWEEN '2026-02-02 00:00:00' AND '2026-02-02 23:00:00'
          ORDER BY time DESC`,
      );
      expect(rows).toEqual([
        expect.objectContaining({
          instrument: 'GBP_USD',
          time: new Date('2026-02-02T10:00:00Z'),
          open_mid: '1.26512',
          close_mid: '1.26597',
          close_bid: '1.26590',
          close_ask: '1.26604',
          volume: 1834,
        }),
      ]);
      const latest = await ds.query(
        `SELECT instrument, close_mid FROM v_latest_candles WHERE instrument = 'GBP_USD'`,
      );
      expect(latest).toEqual([{ instrument: 'GBP_USD', close_mid: '1.26597' }]);
      // The app's entity reads the same row through its camelCase properties.
      const candle = await ds.getRepository(Candle).findOneByOrFail({ instrument: 'GBP_USD' });
      expect([candle.bidOpen, candle.askHigh, candle.midClose, candle.complete]).toEqual([
        '1.26505',
        '1.26651',
        '1.26597',
        true,
      ]);
      const indexes = (
        await ds.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'oanda_candles'`)
      ).map((r: { indexdef: string }) => r.indexdef);
      expect(indexes.join('\n')).toMatch(/\(instrument, "time"\)/);
      expect(indexes.join('\n')).toMatch(/USING btree \("time"\)/);
    });

    it('should write and read volatility_metrics', async () => {
      const insert = `
        INSERT INTO volatility_metrics (instrument, time, volatility_20, volatility_50,
            sma_20, sma_50, atr, bb_upper, bb_middle, bb_lower)
        VALUES ('GBP_USD', '2026-02-02 10:00:00', 0.081234, 0.075321,
            1.26512, 1.26433, 0.00123, 1.26712, 1.26512, 1.26312)
        ON CONFLICT ON CONSTRAINT unique_volatility DO NOTHING`;
      await ds.query(insert);
      await ds.query(insert);
      const rows = await ds.query(
        `SELECT instrument, time, volatility_20, volatility_50, sma_20, sma_50, atr, bb_upper, bb_middle, bb_lower
           FROM volatility_metrics WHERE instrument = 'GBP_USD' ORDER BY time DESC LIMIT 1`,
      );
      expect(rows.map((r: Record<string, unknown>) => Number(r.volatility_20))).toEqual([0.081234]);
      expect(Number(rows[0].bb_lower)).toBe(1.26312);
      const latest = await ds.query(
        `SELECT atr FROM v_latest_volatility WHERE instrument = 'GBP_USD'`,
      );
      expect(latest.map((r: { atr: unknown }) => Number(r.atr))).toEqual([0.00123]);
    });

    it('should write and read correlation_matrix with the seed default window', async () => {
      const upsert = `
        INSERT INTO correlation_matrix (pair1, pair2, time, correlation)
        VALUES ('AUD_USD', 'NZD_USD', '2026-02-02 00:00:00', 0.853)
        ON CONFLICT ON CONSTRAINT unique_correlation
        DO UPDATE SET correlation = EXCLUDED.correlation, calculated_at = CURRENT_TIMESTAMP`;
      await ds.query(upsert);
      await ds.query(upsert);
      const rows = await ds.query(
        `SELECT pair1, pair2, correlation, window_size, calculated_at FROM correlation_matrix
          WHERE time = '2026-02-02 00:00:00' AND (pair1 = 'AUD_USD' OR pair2 = 'AUD_USD')`,
      );
      expect(rows).toHaveLength(1);
      expect([Number(rows[0].correlation), rows[0].window_size]).toEqual([0.853, 100]);
      expect(rows[0].calculated_at).toBeInstanceOf(Date);
    });

    it('should write and read best_pairs_tracker', async () => {
      await ds.query(
        `INSERT INTO best_pairs_tracker (time, pair1, pair2, correlation, category, reason, rank)
         VALUES ('2026-03-02 00:00:00', 'EUR_USD', 'USD_CHF', -0.912, 'negatively_correlated',
                 'Hedging: EUR_USD and USD_CHF move in opposite directions', 1)`,
      );
      const rows = await ds.query(
        `SELECT pair1, pair2, correlation, category, reason, rank, calculated_at FROM best_pairs_tracker
          WHERE time = (SELECT MAX(time) FROM best_pairs_tracker) AND category = 'negatively_correlated'
          ORDER BY rank`,
      );
      expect(
        rows.map((r: Record<string, unknown>) => [r.pair1, r.pair2, Number(r.correlation), r.rank]),
      ).toEqual([['EUR_USD', 'USD_CHF', -0.912, 1]]);
      const plan = (
        await ds.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'best_pairs_tracker'`)
      )
        .map((r: { indexdef: string }) => r.indexdef)
        .join('\n');
      expect(plan).toMatch(/\(category\)/);
    });

    it('should write, read and prune real_time_prices_audit', async () => {
      await ds.query(
        `INSERT INTO real_time_prices_audit (instrument, bid, ask, mid, timestamp)
         VALUES ('AUD_USD', 0.65590, 0.65604, 0.65597, CURRENT_TIMESTAMP),
                ('AUD_USD', 0.65490, 0.65504, 0.65497, '2026-01-05 10:00:00')`,
      );
      const recent = await ds.query(
        `SELECT instrument, bid, ask, mid, timestamp FROM real_time_prices_audit
          WHERE instrument = 'AUD_USD' AND timestamp > NOW() - INTERVAL '1 hour' ORDER BY timestamp DESC`,
      );
      expect(recent).toEqual([
        expect.objectContaining({ bid: '0.65590', ask: '0.65604', mid: '0.65597' }),
      ]);
      await ds.query(
        `DELETE FROM real_time_prices_audit WHERE timestamp < NOW() - INTERVAL '24 hours'`,
      );
      const left = await ds.query(
        `SELECT mid FROM real_time_prices_audit WHERE instrument = 'AUD_USD'`,
      );
      expect(left).toEqual([{ mid: '0.65597' }]);
    });

    it('should write and read market_sessions with the seed columns', async () => {
      await ds.query(
        `INSERT INTO market_sessions (session_name, open_utc, close_utc, timezone, description, is_active)
         VALUES ('Frankfurt', '07:00:00', '15:00:00', 'Europe/Berlin', 'German Session', TRUE)`,
      );
      await ds.query(
        `UPDATE market_sessions SET is_active = FALSE WHERE session_name = 'Frankfurt'`,
      );
      const active = await ds.query(
        `SELECT session_name, open_utc, close_utc, timezone, description, is_active FROM market_sessions
          WHERE is_active = TRUE ORDER BY open_utc`,
      );
      expect(active.map((r: { session_name: string }) => r.session_name)).toEqual([
        'Tokyo',
        'London',
        'NewYork',
        'Sydney',
      ]);
      // Our extra columns were derived: the UTC hours in the centre's standard time (CET = UTC+1).
      const [frankfurt] = await ds.query(
        `SELECT to_char(local_open, 'HH24:MI') AS open, to_char(local_close, 'HH24:MI') AS close, is_active
           FROM market_sessions WHERE session_name = 'Frankfurt'`,
      );
      expect(frankfurt).toEqual({ open: '08:00', close: '16:00', is_active: false });
    });

    it('should write and read cron_job_log with the columns of DESIGN.md', async () => {
      const [{ id }] = await ds.query(
        `INSERT INTO cron_job_log (job_name, status, start_time) VALUES ('hourly', 'running', CURRENT_TIMESTAMP) RETURNING id`,
      );
      await ds.query(
        `UPDATE cron_job_log SET status = 'success', end_time = CURRENT_TIMESTAMP, duration_seconds = 1.5,
                records_processed = 20, error_message = NULL, details = '{"instruments": 20}'
          WHERE id = $1`,
        [id],
      );
      const rows = await ds.query(
        `SELECT job_name, status, duration_seconds, records_processed, details FROM cron_job_log WHERE id = $1`,
        [id],
      );
      expect(rows).toEqual([
        {
          job_name: 'hourly',
          status: 'success',
          duration_seconds: 1.5,
          records_processed: 20,
          details: { instruments: 20 },
        },
      ]);
    });
  });
});
