import { MigrationInterface, QueryRunner } from 'typeorm';

const SIDES = ['bid', 'ask', 'mid'] as const;
const PARTS = ['open', 'high', 'low', 'close'] as const;
/** [old, new]: `bid_open` -> `open_bid` and so on, the names of ../shared/seed-schema.sql. */
export const PRICE_RENAMES: ReadonlyArray<readonly [string, string]> = SIDES.flatMap((s) =>
  PARTS.map((p) => [`${s}_${p}`, `${p}_${s}`] as const),
);

/** Constraint names of the seed schema, so `ON CONFLICT ON CONSTRAINT unique_candle` works. */
const CONSTRAINT_RENAMES: ReadonlyArray<readonly [string, string, string]> = [
  ['oanda_candles', 'uq_oanda_candles_instrument_time_granularity', 'unique_candle'],
  ['volatility_metrics', 'uq_volatility_metrics_instrument_time', 'unique_volatility'],
  ['correlation_matrix', 'uq_correlation_matrix_pair_time_window', 'unique_correlation'],
];

/** Instrument columns: the seed's VARCHAR(20) (ours were 16). */
const INSTRUMENT_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['oanda_candles', 'instrument'],
  ['volatility_metrics', 'instrument'],
  ['correlation_matrix', 'pair1'],
  ['correlation_matrix', 'pair2'],
  ['best_pairs_tracker', 'pair1'],
  ['best_pairs_tracker', 'pair2'],
  ['real_time_prices_audit', 'instrument'],
];

/**
 * The seed's market_sessions has no local_open/local_close; ours derive them
 * (the UTC hours read in the centre's standard time, as the initial seed did)
 * when an INSERT written against the seed leaves them out. Standard time is the
 * smaller of the January and July UTC offsets (daylight time adds an hour).
 */
const LOCAL_HOURS_FUNCTION = `
  CREATE FUNCTION market_sessions_local_hours() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    standard interval;
  BEGIN
    IF NEW.local_open IS NULL OR NEW.local_close IS NULL THEN
      standard := LEAST(
        (timestamptz '2026-01-15 12:00:00+00' AT TIME ZONE NEW.timezone) - timestamp '2026-01-15 12:00:00',
        (timestamptz '2026-07-15 12:00:00+00' AT TIME ZONE NEW.timezone) - timestamp '2026-07-15 12:00:00');
      NEW.local_open := COALESCE(NEW.local_open, NEW.open_utc + standard);
      NEW.local_close := COALESCE(NEW.local_close, NEW.close_utc + standard);
    END IF;
    RETURN NEW;
  END $$`;

const CREATE_VIEWS = [
  `CREATE VIEW v_latest_candles AS
      SELECT DISTINCT ON (instrument, granularity) *
      FROM oanda_candles
      ORDER BY instrument, granularity, time DESC`,
  `CREATE VIEW v_latest_volatility AS
      SELECT DISTINCT ON (instrument) *
      FROM volatility_metrics
      ORDER BY instrument, time DESC`,
];

/**
 * Brings the tables in line with the seed schema (DESIGN.md section 4), so SQL
 * written against ../shared/seed-schema.sql runs unchanged:
 * - oanda_candles' prices renamed `bid_open` -> `open_bid` ... `mid_close` -> `close_mid`
 *   (RENAME COLUMN: metadata only, the rows are not touched);
 * - the seed's constraint names unique_candle / unique_volatility / unique_correlation;
 * - the seed's indexes that had no equivalent: oanda_candles (time), best_pairs_tracker (category);
 * - instrument columns VARCHAR(20), granularity VARCHAR(5) as in the seed (widening: metadata only);
 * - window_size DEFAULT 100 (the seed's default; best_pairs_tracker needs one for the seed's INSERTs);
 * - market_sessions: description may be left out (default '') and local_open/local_close are
 *   derived by a trigger when left out, so the seed's column list inserts.
 * The views select `*`, which PostgreSQL expands when a view is created, so
 * they are dropped and recreated to carry the new names (both directions).
 * The deliberate differences that remain are listed in the README.
 */
export class SeedColumnNames1764000000000 implements MigrationInterface {
  name = 'SeedColumnNames1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await this.dropViews(q);
    for (const [from, to] of PRICE_RENAMES)
      await q.query(`ALTER TABLE oanda_candles RENAME COLUMN ${from} TO ${to}`);
    for (const [table, from, to] of CONSTRAINT_RENAMES)
      await q.query(`ALTER TABLE ${table} RENAME CONSTRAINT ${from} TO ${to}`);
    for (const [table, column] of INSTRUMENT_COLUMNS)
      await q.query(`ALTER TABLE ${table} ALTER COLUMN ${column} TYPE varchar(20)`);
    await q.query(`ALTER TABLE oanda_candles ALTER COLUMN granularity TYPE varchar(5)`);
    await q.query(`ALTER TABLE correlation_matrix ALTER COLUMN window_size SET DEFAULT 100`);
    await q.query(`ALTER TABLE best_pairs_tracker ALTER COLUMN window_size SET DEFAULT 100`);
    await q.query(`CREATE INDEX ix_oanda_candles_time ON oanda_candles (time)`);
    await q.query(`CREATE INDEX ix_best_pairs_tracker_category ON best_pairs_tracker (category)`);
    await q.query(LOCAL_HOURS_FUNCTION);
    await q.query(
      `CREATE TRIGGER market_sessions_local_hours BEFORE INSERT OR UPDATE ON market_sessions
       FOR EACH ROW EXECUTE FUNCTION market_sessions_local_hours()`,
    );
    for (const sql of CREATE_VIEWS) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await this.dropViews(q);
    await q.query(`DROP TRIGGER IF EXISTS market_sessions_local_hours ON market_sessions`);
    await q.query(`DROP FUNCTION IF EXISTS market_sessions_local_hours()`);
    await q.query(`DROP INDEX IF EXISTS ix_best_pairs_tracker_category`);
    await q.query(`DROP INDEX IF EXISTS ix_oanda_candles_time`);
    await q.query(`ALTER TABLE best_pairs_tracker ALTER COLUMN window_size DROP DEFAULT`);
    await q.query(`ALTER TABLE correlation_matrix ALTER COLUMN window_size DROP DEFAULT`);
    // Narrowing fails loudly if a longer value was stored since: nothing is silently cut.
    await q.query(`ALTER TABLE oanda_candles ALTER COLUMN granularity TYPE varchar(4)`);
    for (const [table, column] of INSTRUMENT_COLUMNS)
      await q.query(`ALTER TABLE ${table} ALTER COLUMN ${column} TYPE varchar(16)`);
    for (const [table, from, to] of CONSTRAINT_RENAMES)
      await q.query(`ALTER TABLE ${table} RENAME CONSTRAINT ${to} TO ${from}`);
    for (const [from, to] of PRICE_RENAMES)
      await q.query(`ALTER TABLE oanda_candles RENAME COLUMN ${to} TO ${from}`);
    for (const sql of CREATE_VIEWS) await q.query(sql);
  }

  private async dropViews(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW IF EXISTS v_latest_volatility`);
    await q.query(`DROP VIEW IF EXISTS v_latest_candles`);
  }
}
