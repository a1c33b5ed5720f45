import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `volatility_metrics_summary`: row count and newest time per instrument, kept
 * right by statement-level triggers on volatility_metrics, as candle_summary
 * is for oanda_candles (see that migration for why triggers).
 *
 * Why: the hourly metrics step proves "every complete candle up to the newest
 * metrics row has its row" by comparing two counts before it computes only the
 * recent tail. Counted with count(*), both grew with the years kept (on ten
 * years x 20 pairs they were most of the step: `npm run bench:scale`); read
 * from the two summaries they cost two primary-key lookups at any history.
 */
export class MetricsSummary1764500000000 implements MigrationInterface {
  name = 'MetricsSummary1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE volatility_metrics_summary (
        instrument varchar(20) PRIMARY KEY,
        row_count bigint NOT NULL DEFAULT 0,
        newest_time timestamptz
      )`);
    await q.query(`
      CREATE FUNCTION volatility_metrics_summary_refresh(i varchar) RETURNS void LANGUAGE sql AS $$
        INSERT INTO volatility_metrics_summary AS s (instrument, row_count, newest_time)
        SELECT i, count(*), max(time) FROM volatility_metrics WHERE instrument = i
        ON CONFLICT (instrument) DO UPDATE SET
          row_count = EXCLUDED.row_count, newest_time = EXCLUDED.newest_time
      $$`);
    await q.query(`
      CREATE FUNCTION volatility_metrics_summary_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO volatility_metrics_summary AS s (instrument, row_count, newest_time)
        SELECT instrument, count(*), max(time) FROM new_rows GROUP BY instrument
        ON CONFLICT (instrument) DO UPDATE SET
          row_count = s.row_count + EXCLUDED.row_count,
          newest_time = GREATEST(s.newest_time, EXCLUDED.newest_time);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION volatility_metrics_summary_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- The app's upserts change values only; a row whose key moved (by hand) gets both
        -- instruments recounted.
        PERFORM volatility_metrics_summary_refresh(k.instrument) FROM (
          SELECT o.instrument FROM old_rows o LEFT JOIN new_rows n ON n.id = o.id
          WHERE n.id IS NULL OR n.instrument <> o.instrument OR n.time <> o.time
          UNION
          SELECT n.instrument FROM new_rows n JOIN old_rows o ON o.id = n.id
          WHERE n.instrument <> o.instrument OR n.time <> o.time
        ) k;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION volatility_metrics_summary_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE volatility_metrics_summary s SET row_count = s.row_count - d.n
        FROM (SELECT instrument, count(*) AS n FROM old_rows GROUP BY instrument) d
        WHERE s.instrument = d.instrument;
        -- The newest time moves only when the newest row went (retention deletes the oldest).
        UPDATE volatility_metrics_summary s SET
          newest_time = (SELECT max(time) FROM volatility_metrics m WHERE m.instrument = s.instrument)
        FROM (SELECT instrument, max(time) AS hi FROM old_rows GROUP BY instrument) d
        WHERE s.instrument = d.instrument AND d.hi >= s.newest_time;
        DELETE FROM volatility_metrics_summary WHERE row_count <= 0;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION volatility_metrics_summary_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM volatility_metrics_summary;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER volatility_metrics_summary_insert AFTER INSERT ON volatility_metrics
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION volatility_metrics_summary_on_insert()`);
    await q.query(`
      CREATE TRIGGER volatility_metrics_summary_update AFTER UPDATE ON volatility_metrics
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION volatility_metrics_summary_on_update()`);
    await q.query(`
      CREATE TRIGGER volatility_metrics_summary_delete AFTER DELETE ON volatility_metrics
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION volatility_metrics_summary_on_delete()`);
    await q.query(`
      CREATE TRIGGER volatility_metrics_summary_truncate AFTER TRUNCATE ON volatility_metrics
      FOR EACH STATEMENT EXECUTE FUNCTION volatility_metrics_summary_on_truncate()`);
    await q.query(`
      INSERT INTO volatility_metrics_summary (instrument, row_count, newest_time)
      SELECT instrument, count(*), max(time) FROM volatility_metrics GROUP BY instrument`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['insert', 'update', 'delete', 'truncate'])
      await q.query(`DROP TRIGGER volatility_metrics_summary_${t} ON volatility_metrics`);
    for (const f of ['on_insert', 'on_update', 'on_delete', 'on_truncate'])
      await q.query(`DROP FUNCTION volatility_metrics_summary_${f}()`);
    await q.query(`DROP FUNCTION volatility_metrics_summary_refresh(varchar)`);
    await q.query(`DROP TABLE volatility_metrics_summary`);
  }
}
