import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `candle_summary`: count, first, last and last complete candle per
 * (instrument, granularity), kept right by statement-level triggers on
 * oanda_candles, so `/api/v1/instruments`, the sync and the backfill planner
 * read 20 small rows instead of aggregating every stored candle.
 *
 * Why triggers rather than application code: every writer (the hourly sync,
 * the backfill, retention's batched deletes, a TRUNCATE in a test, an
 * operator's psql) then updates the summary in the same transaction as its
 * own statement, and none of them can forget to. Statement-level triggers
 * with transition tables do it once per statement (a 500-row upsert chunk
 * is one summary upsert), not once per row.
 */
export class CandleSummary1764300000000 implements MigrationInterface {
  name = 'CandleSummary1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE candle_summary (
        instrument varchar(16) NOT NULL,
        granularity varchar(4) NOT NULL,
        candle_count bigint NOT NULL DEFAULT 0,
        first_time timestamptz,
        last_time timestamptz,
        last_complete_time timestamptz,
        PRIMARY KEY (instrument, granularity)
      )`);
    // Recounts one key from the table (index-backed bounds); used where an increment cannot be exact.
    await q.query(`
      CREATE FUNCTION candle_summary_refresh(i varchar, g varchar) RETURNS void LANGUAGE sql AS $$
        INSERT INTO candle_summary AS s (instrument, granularity, candle_count, first_time, last_time, last_complete_time)
        SELECT i, g, count(*), min(time), max(time), max(time) FILTER (WHERE complete)
        FROM oanda_candles WHERE instrument = i AND granularity = g
        ON CONFLICT (instrument, granularity) DO UPDATE SET
          candle_count = EXCLUDED.candle_count, first_time = EXCLUDED.first_time,
          last_time = EXCLUDED.last_time, last_complete_time = EXCLUDED.last_complete_time
      $$`);
    await q.query(`
      CREATE FUNCTION candle_summary_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- LEAST / GREATEST ignore NULLs, so an empty summary row takes the new bounds.
        INSERT INTO candle_summary AS s (instrument, granularity, candle_count, first_time, last_time, last_complete_time)
        SELECT instrument, granularity, count(*), min(time), max(time), max(time) FILTER (WHERE complete)
        FROM new_rows GROUP BY instrument, granularity
        ON CONFLICT (instrument, granularity) DO UPDATE SET
          candle_count = s.candle_count + EXCLUDED.candle_count,
          first_time = LEAST(s.first_time, EXCLUDED.first_time),
          last_time = GREATEST(s.last_time, EXCLUDED.last_time),
          last_complete_time = GREATEST(s.last_complete_time, EXCLUDED.last_complete_time);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION candle_summary_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- The app only updates prices and completeness; a moved key or a candle that is no longer
        -- complete (never done by the app, possible by hand) gets its keys recounted.
        PERFORM candle_summary_refresh(k.instrument, k.granularity) FROM (
          SELECT o.instrument, o.granularity FROM old_rows o
          LEFT JOIN new_rows n ON n.id = o.id
          WHERE n.id IS NULL OR n.instrument <> o.instrument OR n.granularity <> o.granularity
             OR n.time <> o.time OR (o.complete AND NOT n.complete)
          UNION
          SELECT n.instrument, n.granularity FROM new_rows n
          JOIN old_rows o ON o.id = n.id
          WHERE n.instrument <> o.instrument OR n.granularity <> o.granularity OR n.time <> o.time
        ) k;
        UPDATE candle_summary s SET last_complete_time = GREATEST(s.last_complete_time, c.last_complete)
        FROM (SELECT instrument, granularity, max(time) AS last_complete FROM new_rows
              WHERE complete GROUP BY instrument, granularity) c
        WHERE s.instrument = c.instrument AND s.granularity = c.granularity;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION candle_summary_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE candle_summary s SET candle_count = s.candle_count - d.n
        FROM (SELECT instrument, granularity, count(*) AS n FROM old_rows GROUP BY instrument, granularity) d
        WHERE s.instrument = d.instrument AND s.granularity = d.granularity;
        -- Bounds move only when a deleted candle was one of them (retention deletes the oldest).
        UPDATE candle_summary s SET
          first_time = (SELECT min(time) FROM oanda_candles c WHERE c.instrument = s.instrument AND c.granularity = s.granularity),
          last_time = (SELECT max(time) FROM oanda_candles c WHERE c.instrument = s.instrument AND c.granularity = s.granularity),
          last_complete_time = (SELECT max(time) FROM oanda_candles c WHERE c.instrument = s.instrument AND c.granularity = s.granularity AND c.complete)
        FROM (SELECT instrument, granularity, min(time) AS lo, max(time) AS hi FROM old_rows GROUP BY instrument, granularity) d
        WHERE s.instrument = d.instrument AND s.granularity = d.granularity
          AND (d.lo <= s.first_time OR d.hi >= s.last_time OR d.hi >= s.last_complete_time);
        DELETE FROM candle_summary WHERE candle_count <= 0;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION candle_summary_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM candle_summary;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER candle_summary_insert AFTER INSERT ON oanda_candles
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION candle_summary_on_insert()`);
    await q.query(`
      CREATE TRIGGER candle_summary_update AFTER UPDATE ON oanda_candles
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION candle_summary_on_update()`);
    await q.query(`
      CREATE TRIGGER candle_summary_delete AFTER DELETE ON oanda_candles
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION candle_summary_on_delete()`);
    await q.query(`
      CREATE TRIGGER candle_summary_truncate AFTER TRUNCATE ON oanda_candles
      FOR EACH STATEMENT EXECUTE FUNCTION candle_summary_on_truncate()`);
    // Backfill from what is stored now (same transaction as the triggers: no write slips between).
    await q.query(`
      INSERT INTO candle_summary (instrument, granularity, candle_count, first_time, last_time, last_complete_time)
      SELECT instrument, granularity, count(*), min(time), max(time), max(time) FILTER (WHERE complete)
      FROM oanda_candles GROUP BY instrument, granularity`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['insert', 'update', 'delete', 'truncate'])
      await q.query(`DROP TRIGGER candle_summary_${t} ON oanda_candles`);
    for (const f of ['on_insert', 'on_update', 'on_delete', 'on_truncate'])
      await q.query(`DROP FUNCTION candle_summary_${f}()`);
    await q.query(`DROP FUNCTION candle_summary_refresh(varchar, varchar)`);
    await q.query(`DROP TABLE candle_summary`);
  }
}
