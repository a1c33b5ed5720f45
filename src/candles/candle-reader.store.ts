import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { candleJsonSql, type CandleRow, type PriceComponent } from './candle-format';

export interface CandleRange {
  instrument: string;
  granularity: string;
  /** Inclusive. */
  from?: Date;
  /** Inclusive. */
  to?: Date;
  /** Keyset position: only candles strictly after this time. */
  after?: Date;
}

/** One candle of an API page: its JSON text as PostgreSQL rendered it, plus what paging needs. */
export interface CandleJsonRow {
  /** Epoch ms. */
  t: number;
  complete: boolean;
  json: string;
}

export interface StoredBounds {
  count: number;
  first: Date | null;
  last: Date | null;
  lastComplete: Date | null;
}

const ROW_COLUMNS = `time, volume, complete,
  open_mid::text, high_mid::text, low_mid::text, close_mid::text,
  open_bid::text, high_bid::text, low_bid::text, close_bid::text,
  open_ask::text, high_ask::text, low_ask::text, close_ask::text`;

/**
 * Read side of oanda_candles for this module (API pages, CSV export, backfill
 * planning, gap scans). Other modules read through CandleSeriesService.
 */
@Injectable()
export class CandleReader {
  constructor(private readonly dataSource: DataSource) {}

  /** Up to `limit` candles ascending by time; keyset pagination via `after`. */
  async page(range: CandleRange, limit: number): Promise<CandleRow[]> {
    const { where, params } = rangeWhere(range);
    params.push(limit);
    return this.dataSource.query<CandleRow[]>(
      `SELECT ${ROW_COLUMNS} FROM oanda_candles WHERE ${where} ORDER BY time LIMIT $${params.length}`,
      params,
    );
  }

  /** Like `page`, each row already rendered as the API's JSON text (see candleJsonSql). */
  async jsonPage(
    range: CandleRange,
    limit: number,
    components: readonly PriceComponent[],
  ): Promise<CandleJsonRow[]> {
    const { where, params } = rangeWhere(range);
    params.push(limit);
    return this.dataSource.query<CandleJsonRow[]>(
      `SELECT (extract(epoch FROM time) * 1000)::float8 AS t, complete, ${candleJsonSql(components)} AS json
       FROM oanda_candles WHERE ${where} ORDER BY time LIMIT $${params.length}`,
      params,
    );
  }

  /**
   * The whole range in batches of keyset queries, so an export of a year
   * never holds more than one batch in memory nor one connection for long.
   */
  async *batches(
    range: CandleRange,
    options: { batchSize?: number; max?: number } = {},
  ): AsyncGenerator<CandleRow[]> {
    const batchSize = options.batchSize ?? 2000;
    let remaining = options.max ?? Number.POSITIVE_INFINITY;
    let after = range.after;
    while (remaining > 0) {
      const rows = await this.page({ ...range, after }, Math.min(batchSize, remaining));
      if (rows.length === 0) return;
      yield rows;
      remaining -= rows.length;
      if (rows.length < batchSize) return;
      after = rows[rows.length - 1].time;
    }
  }

  /** Epoch ms of stored candles in [from, to) (complete ones only unless told otherwise). */
  async storedTimes(params: {
    instrument: string;
    granularity: string;
    from: Date;
    to: Date;
    completeOnly?: boolean;
  }): Promise<Set<number>> {
    const rows = await this.dataSource.query<Array<{ t: number }>>(
      `SELECT (extract(epoch FROM time) * 1000)::float8 AS t FROM oanda_candles
       WHERE instrument = $1 AND granularity = $2 AND time >= $3 AND time < $4
       ${params.completeOnly === false ? '' : 'AND complete'}`,
      [params.instrument, params.granularity, params.from, params.to],
    );
    return new Set(rows.map((r) => r.t));
  }

  /**
   * Count, first, last and last complete candle per instrument, from
   * candle_summary (kept up to date by triggers on oanda_candles; see the
   * CandleSummary migration): 20 small rows, not an aggregate over every candle.
   */
  async bounds(
    granularity: string,
    instruments?: readonly string[],
  ): Promise<Map<string, StoredBounds>> {
    const params: unknown[] = [granularity];
    let filter = '';
    if (instruments) {
      params.push(instruments);
      filter = 'AND instrument = ANY($2)';
    }
    const rows = await this.dataSource.query<
      Array<{
        instrument: string;
        count: number;
        first: Date;
        last: Date;
        last_complete: Date | null;
      }>
    >(
      `SELECT instrument, candle_count::int AS count, first_time AS first, last_time AS last,
              last_complete_time AS last_complete
       FROM candle_summary WHERE granularity = $1 ${filter} AND candle_count > 0`,
      params,
    );
    return new Map(
      rows.map((r) => [
        r.instrument,
        { count: r.count, first: r.first, last: r.last, lastComplete: r.last_complete },
      ]),
    );
  }
}

function rangeWhere(range: CandleRange): { where: string; params: unknown[] } {
  const params: unknown[] = [range.instrument, range.granularity];
  const clauses = ['instrument = $1', 'granularity = $2'];
  const add = (sql: string, value: Date | undefined): void => {
    if (!value) return;
    params.push(value);
    clauses.push(`${sql} $${params.length}`);
  };
  add('time >=', range.from);
  add('time <=', range.to);
  add('time >', range.after);
  return { where: clauses.join(' AND '), params };
}
