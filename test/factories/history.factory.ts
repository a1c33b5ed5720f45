import type { DataSource } from 'typeorm';

export interface HistorySpec {
  instruments: readonly string[];
  /** First candle hour (UTC, on the hour). */
  from: Date;
  /** Hours from `from`, weekends (Saturday, Sunday UTC) left out like a closed market. */
  hours: number;
}

/**
 * H1 candles written by PostgreSQL itself (generate_series), so a ten-year,
 * twenty-pair history takes seconds, not the app's backfill. Prices are a
 * smooth deterministic wave per instrument (distinct phases, so correlations
 * are neither all 1 nor all 0), valid candles: low <= open, close <= high,
 * bid < mid < ask. Rows without a partition of their own land in the default
 * partition (the app's partition maintenance moves them out).
 */
export async function insertHistory(db: DataSource, spec: HistorySpec): Promise<number> {
  const [{ n }] = await db.query<Array<{ n: number }>>(
    `WITH s AS (
       SELECT i.instrument, i.k, $2::timestamptz + g * interval '1 hour' AS time,
              1 + i.k * 0.1 + 0.02 * sin(g / 97.0 + i.k) + 0.004 * sin(g / 7.3 + 2 * i.k) AS o,
              1 + i.k * 0.1 + 0.02 * sin((g + 1) / 97.0 + i.k) + 0.004 * sin((g + 1) / 7.3 + 2 * i.k) AS c
         FROM unnest($1::varchar[]) WITH ORDINALITY AS i(instrument, k),
              generate_series(0, $3::int - 1) AS g
        WHERE extract(isodow FROM $2::timestamptz + g * interval '1 hour') < 6
     ), p AS (
       SELECT instrument, time, round(o::numeric, 5) AS o, round(c::numeric, 5) AS c,
              round(greatest(o, c)::numeric + 0.0005, 5) AS h, round(least(o, c)::numeric - 0.0005, 5) AS l
         FROM s
     ), ins AS (
       INSERT INTO oanda_candles (instrument, time, granularity,
           open_bid, high_bid, low_bid, close_bid, open_ask, high_ask, low_ask, close_ask,
           open_mid, high_mid, low_mid, close_mid, volume, complete)
       SELECT instrument, time, 'H1',
              o - 0.00007, h - 0.00007, l - 0.00007, c - 0.00007,
              o + 0.00007, h + 0.00007, l + 0.00007, c + 0.00007,
              o, h, l, c, 100, true
         FROM p
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM ins`,
    [spec.instruments, spec.from.toISOString(), spec.hours],
  );
  return n;
}

/**
 * md5 of every row of a table in id order (a row's text form is positional,
 * so it also catches a column moved or retyped), and the row count.
 */
export async function tableChecksum(
  db: DataSource,
  table: string,
): Promise<{ rows: number; md5: string }> {
  const [row] = await db.query<Array<{ rows: number; md5: string }>>(
    `SELECT count(*)::int AS rows, md5(string_agg(t::text, E'\\n' ORDER BY t.id)) AS md5 FROM ${table} t`,
  );
  return row;
}
