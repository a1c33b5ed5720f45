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
   * The newest H1 candle's close per instrument. One index probe per
   * instrument (LATERAL ... ORDER BY time DESC LIMIT 1), not the
   * `v_latest_candles` view, whose DISTINCT ON sorts every stored candle of
   * the instruments asked for: fine for a year, not for ten.
   */
  async latestClosePrices(instruments: readonly string[]): Promise<Map<string, CandlePrice>> {
    if (instruments.length === 0) return new Map();
    // A complete candle's close is the price at open + 1 h; a forming one was last seen at updated_at.
    const rows = await this.candles.query<
      Array<{
        instrument: string;
        close_bid: string;
        close_ask: string;
        close_mid: string;
        price_time: Date;
      }>
    >(
      `SELECT i.instrument, c.close_bid, c.close_ask, c.close_mid,
              CASE WHEN c.complete THEN LEAST(c.time + interval '1 hour', c.updated_at) ELSE c.updated_at END AS price_time
         FROM unnest($1::varchar[]) AS i(instrument)
         CROSS JOIN LATERAL (
           SELECT * FROM oanda_candles
            WHERE instrument = i.instrument AND granularity = 'H1'
            ORDER BY time DESC LIMIT 1) c`,
      [instruments],
    );
    return new Map(
      rows.map((r) => [
        r.instrument,
        {
          instrument: r.instrument,
          bid: String(r.close_bid),
          ask: String(r.close_ask),
          mid: String(r.close_mid),
          time: new Date(r.price_time),
        },
      ]),
    );
  }
}
