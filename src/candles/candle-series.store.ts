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

  /** Time of the newest complete candle per instrument (instruments with none are absent). */
  async latestCompleteTimes(granularity = 'H1'): Promise<Map<string, Date>> {
    const rows = await this.candles.query<Array<{ instrument: string; time: Date }>>(
      `SELECT instrument, max(time) AS time FROM oanda_candles WHERE granularity = $1 AND complete GROUP BY instrument`,
      [granularity],
    );
    return new Map(rows.map((r) => [r.instrument, new Date(r.time)]));
  }
}
