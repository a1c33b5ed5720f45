import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Candle } from './candle.entity';

/** Mid OHLC of one instrument as parallel arrays, oldest first: the shape the math wants. */
export interface MidSeries {
  instrument: string;
  granularity: string;
  /** Candle open times, epoch milliseconds. */
  times: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
}

/** Candle times (epoch ms, ascending) and mid closes of one instrument: what correlations need. */
export interface CloseSeries {
  times: Float64Array;
  close: Float64Array;
}

/** An instrument's last stored H1 close, exact: the price fallback when no live tick is cached. */
export interface CandlePrice {
  instrument: string;
  bid: string;
  ask: string;
  mid: string;
  /** When that close price was current: the candle's close time, or its last update if still forming. */
  time: Date;
}

export interface SeriesQuery {
  instrument: string;
  granularity?: string;
  /** Inclusive lower bound on candle time. */
  from?: Date;
  /** Inclusive upper bound on candle time. */
  to?: Date;
  /** Only complete candles (default): analytics never use a still-forming candle. */
  completeOnly?: boolean;
}

interface LatestCloseRow {
  instrument: string;
  close_bid: string;
  close_ask: string;
  close_mid: string;
  price_time: Date;
}

// A complete candle's close is the price at open + 1 h; a forming one was last seen at updated_at.
const LATEST_CLOSE_COLUMNS = `c.close_bid, c.close_ask, c.close_mid,
  CASE WHEN c.complete THEN LEAST(c.time + interval '1 hour', c.updated_at) ELSE c.updated_at END AS price_time`;

/**
 * The H1 candles of instruments $1 at times $2 (pairwise). `time = ANY($2)`
 * is there for the planner: the times are known when it plans, so it keeps
 * only the partitions holding them, and planning too stays independent of
 * how many months are stored (a join on candle_summary would be pruned only
 * while running, after planning every partition).
 * Exported for the test that checks which partitions it reads.
 */
export const CANDLES_AT_SQL = `SELECT k.instrument, ${LATEST_CLOSE_COLUMNS}
  FROM unnest($1::varchar[], $2::timestamptz[]) AS k(instrument, time)
  JOIN oanda_candles c ON c.instrument = k.instrument AND c.time = k.time AND c.granularity = 'H1'
 WHERE c.time = ANY($2::timestamptz[])`;

const toCandlePrice = (r: LatestCloseRow): CandlePrice => ({
  instrument: r.instrument,
  bid: String(r.close_bid),
  ask: String(r.close_ask),
  mid: String(r.close_mid),
  time: new Date(r.price_time),
});

/**
 * Read side of the candles table for other modules (analytics): they get
 * arrays, never the repository. Floats are fine here because the math is
 * floating-point anyway; exact prices stay in the API's candle responses.
 */
@Injectable()
export class CandleSeriesService {
  constructor(@InjectRepository(Candle) private readonly candles: Repository<Candle>) {}

  async midSeries(query: SeriesQuery): Promise<MidSeries> {
    const granularity = query.granularity ?? 'H1';
    const params: unknown[] = [query.instrument, granularity];
    let where = 'instrument = $1 AND granularity = $2';
    if (query.completeOnly !== false) where += ' AND complete';
    if (query.from) {
      params.push(query.from);
      where += ` AND time >= $${params.length}`;
    }
    if (query.to) {
      params.push(query.to);
      where += ` AND time <= $${params.length}`;
    }
    // float8 casts keep pg from shipping 4 x N numeric strings we would parse anyway.
    const rows = await this.candles.query<
      Array<{ t: number; o: number; h: number; l: number; c: number }>
    >(
      `SELECT (extract(epoch FROM time) * 1000)::float8 AS t, open_mid::float8 AS o, high_mid::float8 AS h,
              low_mid::float8 AS l, close_mid::float8 AS c
       FROM oanda_candles WHERE ${where} ORDER BY time`,
      params,
    );
    const n = rows.length;
    const series: MidSeries = {
      instrument: query.instrument,
      granularity,
      times: new Float64Array(n),
      open: new Float64Array(n),
      high: new Float64Array(n),
      low: new Float64Array(n),
      close: new Float64Array(n),
    };
    rows.forEach((r, i) => {
      series.times[i] = r.t;
      series.open[i] = r.o;
      series.high[i] = r.h;
      series.low[i] = r.l;
      series.close[i] = r.c;
    });
    return series;
  }

  /**
   * Complete candles' times and mid closes of many instruments in [from, to]
   * in one query (one round trip and one plan, not one per instrument), as
   * midSeries would give each: oldest first. Instruments without candles
   * get empty arrays.
   */
  async closeSeries(
    instruments: readonly string[],
    range: { granularity?: string; from: Date; to: Date },
  ): Promise<Map<string, CloseSeries>> {
    const rows = await this.candles.query<Array<{ i: string; t: number; c: number }>>(
      `SELECT instrument AS i, (extract(epoch FROM time) * 1000)::float8 AS t, close_mid::float8 AS c
       FROM oanda_candles
       WHERE instrument = ANY($1::varchar[]) AND granularity = $2 AND complete AND time >= $3 AND time <= $4
       ORDER BY instrument, time`,
      [instruments, range.granularity ?? 'H1', range.from, range.to],
    );
    const counts = new Map<string, number>(instruments.map((i) => [i, 0]));
    for (const r of rows) counts.set(r.i, (counts.get(r.i) ?? 0) + 1);
    const out = new Map<string, CloseSeries>();
    for (const [instrument, n] of counts) {
      out.set(instrument, { times: new Float64Array(n), close: new Float64Array(n) });
    }
    let start = 0;
    while (start < rows.length) {
      const series = out.get(rows[start].i)!;
      const n = series.times.length;
      for (let k = 0; k < n; k += 1) {
        series.times[k] = rows[start + k].t;
        series.close[k] = rows[start + k].c;
      }
      start += n;
    }
    return out;
  }

  /**
   * Candles of an instrument stored up to `to`, complete or not: candle_summary's
   * count (kept by triggers) minus the candles after `to`, so it costs the same at
   * any history length (the hourly metrics step asks it every hour, and a count(*)
   * over ten years was most of that step).
   */
  async countUpTo(instrument: string, granularity: string, to: Date): Promise<number> {
    const [row] = await this.candles.query<Array<{ n: number }>>(
      `SELECT (COALESCE((SELECT candle_count FROM candle_summary
                         WHERE instrument = $1 AND granularity = $2), 0)
               - (SELECT count(*) FROM oanda_candles
                  WHERE instrument = $1 AND granularity = $2 AND time > $3))::int AS n`,
      [instrument, granularity, to],
    );
    return row.n;
  }

  /** Time of the newest complete candle per instrument (instruments with none are absent). */
  async latestCompleteTimes(granularity = 'H1'): Promise<Map<string, Date>> {
    const rows = await this.candles.query<Array<{ instrument: string; time: Date }>>(
      `SELECT instrument, max(time) AS time FROM oanda_candles WHERE granularity = $1 AND complete GROUP BY instrument`,
      [granularity],
    );
    return new Map(rows.map((r) => [r.instrument, new Date(r.time)]));
  }

  /**
   * The newest H1 candle's close per instrument, in time independent of the
   * history kept. candle_summary (kept by triggers in the writers' own
   * transactions) knows each instrument's newest candle time; the candles at
   * those times are then read from the partitions holding them alone
   * (CANDLES_AT_SQL). An ORDER BY time DESC LIMIT 1 probe instead visits
   * every monthly partition (the default partition rules out an ordered
   * append): 32x slower on ten years under load.
   */
  async latestClosePrices(instruments: readonly string[]): Promise<Map<string, CandlePrice>> {
    if (instruments.length === 0) return new Map();
    // As text, so the time goes back to PostgreSQL exactly as stored.
    const newest = await this.candles.query<Array<{ instrument: string; time: string }>>(
      `SELECT instrument, last_time::text AS time FROM candle_summary
        WHERE granularity = 'H1' AND instrument = ANY($1::varchar[])`,
      [instruments],
    );
    const found: LatestCloseRow[] = newest.length
      ? await this.candles.query<LatestCloseRow[]>(CANDLES_AT_SQL, [
          newest.map((r) => r.instrument),
          newest.map((r) => r.time),
        ])
      : [];
    // No summary row means no candle. A summary row whose newest candle is gone means a partition
    // was dropped under it (DROP fires no trigger): ask the table itself for those few.
    const have = new Set(found.map((r) => r.instrument));
    const stale = newest.map((r) => r.instrument).filter((i) => !have.has(i));
    if (stale.length) found.push(...(await this.probeLatestCloses(stale)));
    const byInstrument = new Map(found.map((r) => [r.instrument, r]));
    // In the order asked for, as the one-query probe returned them.
    const prices = new Map<string, CandlePrice>();
    for (const instrument of instruments) {
      const row = byInstrument.get(instrument);
      if (row) prices.set(instrument, toCandlePrice(row));
    }
    return prices;
  }

  /** The newest H1 candle per instrument from the table alone: one probe per partition and instrument. */
  private probeLatestCloses(instruments: readonly string[]): Promise<LatestCloseRow[]> {
    return this.candles.query<LatestCloseRow[]>(
      `SELECT i.instrument, c.close_bid, c.close_ask, c.close_mid, c.price_time
         FROM unnest($1::varchar[]) AS i(instrument)
         CROSS JOIN LATERAL (
           SELECT ${LATEST_CLOSE_COLUMNS} FROM oanda_candles c
            WHERE c.instrument = i.instrument AND c.granularity = 'H1'
            ORDER BY c.time DESC LIMIT 1) c`,
      [instruments],
    );
  }
}
