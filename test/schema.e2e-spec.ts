import { DataSource } from 'typeorm';
import { AppConfig } from '../src/platform/config/app-config';
import { appDataSourceOptions } from '../src/entities';
import { dropDatabase, ensureDatabase } from '../src/platform/database/ensure-database';
import { MIGRATIONS } from '../migrations';
import { testEnv } from './utils/test-env';

const TABLES = [
  'oanda_candles',
  'volatility_metrics',
  'correlation_matrix',
  'best_pairs_tracker',
  'real_time_prices_audit',
  'market_sessions',
  'cron_job_log',
  'api_keys',
  'alert_rules',
  'alert_events',
  'alert_webhook_outbox',
  'candle_summary',
  'volatility_metrics_summary',
];

describe('Schema migrations', () => {
  const env = testEnv({}, 'schema');
  const config = AppConfig.fromEnv(env);
  let ds: DataSource;

  const columns = async (table: string): Promise<Record<string, string>> => {
    const rows: Array<{ column_name: string; data_type: string }> = await ds.query(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
      [table],
    );
    return Object.fromEntries(rows.map((r) => [r.column_name, r.data_type]));
  };
  const relations = async (): Promise<string[]> =>
    (
      await ds.query(
        // Partitions (of real_time_prices_audit) are not tables of their own.
        `SELECT table_name FROM information_schema.tables t JOIN pg_class c ON c.relname = t.table_name
          WHERE table_schema = 'public' AND table_name <> 'typeorm_migrations' AND NOT c.relispartition ORDER BY 1`,
      )
    ).map((r: { table_name: string }) => r.table_name);
  const constraints = async (table: string): Promise<Array<{ name: string; def: string }>> =>
    ds.query(
      `SELECT conname AS name, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
       JOIN pg_class t ON t.oid = c.conrelid WHERE t.relname = $1`,
      [table],
    );
  const indexes = async (table: string): Promise<string[]> =>
    (await ds.query(`SELECT indexdef FROM pg_indexes WHERE tablename = $1`, [table])).map(
      (r: { indexdef: string }) => r.indexdef,
    );

  beforeAll(async () => {
    await ensureDatabase(String(config.database.url));
    ds = await new DataSource(appDataSourceOptions(config)).initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await dropDatabase(String(config.database.url));
  });

  it('should create every table and view, then remove them all on revert, then create them again', async () => {
    await ds.runMigrations();
    expect(await relations()).toEqual(
      [...TABLES, 'v_latest_candles', 'v_latest_volatility'].sort(),
    );

    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration();
    expect(await relations()).toEqual([]);

    await ds.runMigrations();
    expect(await relations()).toHaveLength(TABLES.length + 2);
  });

  it('should store candle prices as numeric with the unique key and index of the design', async () => {
    const cols = await columns('oanda_candles');
    for (const side of ['bid', 'ask', 'mid']) {
      for (const part of ['open', 'high', 'low', 'close'])
        expect(cols[`${part}_${side}`]).toBe('numeric');
    }
    expect(cols).toMatchObject({
      instrument: 'character varying',
      time: 'timestamp with time zone',
      granularity: 'character varying',
      volume: 'integer',
      complete: 'boolean',
      created_at: 'timestamp with time zone',
    });
    expect((await constraints('oanda_candles')).map((c) => c.def)).toContain(
      'UNIQUE (instrument, "time", granularity)',
    );
    expect((await indexes('oanda_candles')).join('\n')).toMatch(/\(instrument, "time"\)/);
  });

  it('should have every indicator column in volatility_metrics and unique (instrument, time)', async () => {
    const cols = await columns('volatility_metrics');
    for (const c of [
      'volatility_20',
      'volatility_50',
      'sma_15',
      'sma_20',
      'sma_30',
      'sma_50',
      'ema_12',
      'ema_26',
      'bb_upper',
      'bb_middle',
      'bb_lower',
      'atr',
      'rsi_14',
      'macd',
      'macd_signal',
      'macd_histogram',
      'stoch_k',
      'stoch_d',
      'williams_r',
    ]) {
      expect([c, cols[c]]).toEqual([c, 'double precision']);
    }
    expect((await constraints('volatility_metrics')).map((c) => c.def)).toContain(
      'UNIQUE (instrument, "time")',
    );
  });

  it('should enforce pair order and uniqueness in correlation_matrix', async () => {
    const cols = await columns('correlation_matrix');
    expect(Object.keys(cols)).toEqual(
      expect.arrayContaining([
        'id',
        'pair1',
        'pair2',
        'time',
        'correlation',
        'window_size',
        'calculated_at',
      ]),
    );
    const defs = (await constraints('correlation_matrix')).map((c) => c.def);
    expect(defs).toContain('UNIQUE (pair1, pair2, "time", window_size)');
    await expect(
      ds.query(
        `INSERT INTO correlation_matrix (pair1, pair2, time, correlation, window_size) VALUES ('USD_JPY', 'EUR_USD', '2026-01-01', 0.1, 100)`,
      ),
    ).rejects.toThrow(/ck_correlation_matrix_pair_order/);
  });

  it('should have the remaining tables with their columns', async () => {
    expect(Object.keys(await columns('best_pairs_tracker'))).toEqual(
      expect.arrayContaining([
        'id',
        'time',
        'pair1',
        'pair2',
        'correlation',
        'category',
        'reason',
        'rank',
        'window_size',
        'calculated_at',
      ]),
    );
    expect(await columns('real_time_prices_audit')).toMatchObject({
      instrument: 'character varying',
      bid: 'numeric',
      ask: 'numeric',
      mid: 'numeric',
      timestamp: 'timestamp with time zone',
    });
    expect((await indexes('real_time_prices_audit')).join('\n')).toMatch(
      /\(instrument, "timestamp"\)/,
    );
    expect(Object.keys(await columns('cron_job_log'))).toEqual(
      expect.arrayContaining([
        'id',
        'job_name',
        'status',
        'start_time',
        'end_time',
        'duration_seconds',
        'records_processed',
        'error_message',
        'details',
      ]),
    );
    expect((await columns('cron_job_log')).details).toBe('jsonb');
    await expect(
      ds.query(
        `INSERT INTO cron_job_log (job_name, status, start_time) VALUES ('hourly', 'bogus', now())`,
      ),
    ).rejects.toThrow(/ck_cron_job_log_status/);
  });

  it('should seed the four market sessions with their UTC hours', async () => {
    const rows = await ds.query(
      `SELECT session_name, to_char(open_utc, 'HH24:MI') AS open, to_char(close_utc, 'HH24:MI') AS close, is_active FROM market_sessions ORDER BY open_utc`,
    );
    expect(rows).toEqual([
      { session_name: 'Tokyo', open: '00:00', close: '08:00', is_active: true },
      { session_name: 'London', open: '08:00', close: '16:00', is_active: true },
      { session_name: 'NewYork', open: '13:00', close: '21:00', is_active: true },
      { session_name: 'Sydney', open: '22:00', close: '06:00', is_active: true },
    ]);
    await expect(
      ds.query(
        `INSERT INTO market_sessions (session_name, open_utc, close_utc, timezone, local_open, local_close) VALUES ('Tokyo', '00:00', '01:00', 'UTC', '00:00', '01:00')`,
      ),
    ).rejects.toThrow(/uq_market_sessions_session_name/);
  });

  it('should show the latest row per instrument in the views', async () => {
    const insert = (instrument: string, time: string, close: string) =>
      ds.query(
        `INSERT INTO oanda_candles (instrument, time, open_bid, high_bid, low_bid, close_bid, open_ask, high_ask, low_ask, close_ask, open_mid, high_mid, low_mid, close_mid)
         VALUES ($1, $2, $3, $3, $3, $3, $3, $3, $3, $3, $3, $3, $3, $3)`,
        [instrument, time, close],
      );
    await insert('EUR_USD', '2026-01-05T10:00:00Z', '1.10001');
    await insert('EUR_USD', '2026-01-05T11:00:00Z', '1.10002');
    await insert('GBP_USD', '2026-01-05T09:00:00Z', '1.30000');
    const latest = await ds.query(
      `SELECT instrument, close_mid FROM v_latest_candles ORDER BY instrument`,
    );
    expect(latest).toEqual([
      { instrument: 'EUR_USD', close_mid: '1.10002' },
      { instrument: 'GBP_USD', close_mid: '1.30000' },
    ]);
    await ds.query(
      `INSERT INTO volatility_metrics (instrument, time, sma_20) VALUES ('EUR_USD', '2026-01-05T10:00:00Z', 1), ('EUR_USD', '2026-01-05T11:00:00Z', 2)`,
    );
    expect(await ds.query(`SELECT instrument, sma_20 FROM v_latest_volatility`)).toEqual([
      { instrument: 'EUR_USD', sma_20: 2 },
    ]);
  });
});
