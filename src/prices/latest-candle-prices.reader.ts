import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface CandlePrice {
  instrument: string;
  bid: string;
  ask: string;
  mid: string;
  /** When that close price was current: the candle's close time, or its last update if still forming. */
  time: Date;
}

interface Row {
  instrument: string;
  close_bid: string;
  close_ask: string;
  close_mid: string;
  price_time: Date;
}

/**
 * The last stored H1 candle close per instrument, the fallback price when no
 * live tick is cached. It lives here, reading `v_latest_candles` with one SQL
 * statement, instead of as a method on CandleSeriesService: that service is
 * the candles module's contract for analytics (mid series as Float64Arrays),
 * owned by another part of the team, and this needs bid/ask/mid as exact
 * strings for one row per instrument. Keeping the query in this one file
 * makes it easy to move behind a candles API later.
 */
@Injectable()
export class LatestCandlePricesReader {
  constructor(private readonly dataSource: DataSource) {}

  async latest(instruments: readonly string[]): Promise<Map<string, CandlePrice>> {
    if (instruments.length === 0) return new Map();
    // A complete candle's close is the price at open + 1 h; a forming one was last seen at updated_at.
    const rows = await this.dataSource.query<Row[]>(
      `SELECT instrument, close_bid, close_ask, close_mid,
              CASE WHEN complete THEN LEAST(time + interval '1 hour', updated_at) ELSE updated_at END AS price_time
         FROM v_latest_candles
        WHERE granularity = 'H1' AND instrument = ANY($1::varchar[])`,
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
