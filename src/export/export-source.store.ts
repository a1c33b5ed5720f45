import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CANDLE_PRICE_COLUMNS, METRIC_VALUE_COLUMNS, type ExportRow } from './export-columns';
import type { ExportRequest } from './export-request';

export interface BatchOptions {
  /** Rows per keyset query: the most rows read from PostgreSQL at once. */
  batchSize: number;
}

/** First and last calendar day (UTC) whose midnight lies within [from, to]; correlation rows are per day. */
export function dayBounds(from?: Date, to?: Date): { fromDay?: string; toDay?: string } {
  const iso = (t: Date): string => t.toISOString().slice(0, 10);
  let fromDay: string | undefined;
  if (from) {
    const midnight = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
    fromDay = iso(new Date(midnight === from.getTime() ? midnight : midnight + 86_400_000));
  }
  return { fromDay, toDay: to ? iso(to) : undefined };
}

/**
 * The read side of the export: the three history tables in keyset-paginated
 * batches (never OFFSET, never the whole range), each query a short one on
 * the tables' unique indexes, so a 10-year export holds one batch in memory
 * and no connection or snapshot for long. Read-only SQL against the tables of
 * DESIGN.md section 4, whose columns are the export's contract.
 */
@Injectable()
export class ExportSourceStore {
  constructor(private readonly dataSource: DataSource) {}

  batches(req: ExportRequest, options: BatchOptions): AsyncGenerator<ExportRow[]> {
    switch (req.kind) {
      case 'candles':
        return this.perInstrument(req, options, (instrument, after, limit) =>
          this.candlePage(req, instrument, after, limit),
        );
      case 'metrics':
        return this.perInstrument(req, options, (instrument, after, limit) =>
          this.metricPage(req, instrument, after, limit),
        );
      case 'correlations':
        return this.correlations(req, options);
    }
  }

  /** Instruments in the order asked, each one's rows ascending by time. */
  private async *perInstrument(
    req: ExportRequest,
    options: BatchOptions,
    page: (instrument: string, after: Date | undefined, limit: number) => Promise<ExportRow[]>,
  ): AsyncGenerator<ExportRow[]> {
    for (const instrument of req.instruments) {
      let after: Date | undefined;
      for (;;) {
        const rows = await page(instrument, after, options.batchSize);
        if (rows.length) yield rows;
        if (rows.length < options.batchSize) break;
        after = rows[rows.length - 1].time as Date;
      }
    }
  }

  private candlePage(
    req: ExportRequest,
    instrument: string,
    after: Date | undefined,
    limit: number,
  ): Promise<ExportRow[]> {
    const { where, params } = timeWhere([instrument, req.granularity], req.from, req.to, after);
    params.push(limit);
    return this.dataSource.query<ExportRow[]>(
      `SELECT instrument, time, granularity,
              ${CANDLE_PRICE_COLUMNS.map((c) => `${c}::text AS ${c}`).join(', ')},
              volume, complete
         FROM oanda_candles
        WHERE instrument = $1 AND granularity = $2 ${where}
        ORDER BY time LIMIT $${params.length}`,
      params,
    );
  }

  private metricPage(
    req: ExportRequest,
    instrument: string,
    after: Date | undefined,
    limit: number,
  ): Promise<ExportRow[]> {
    const { where, params } = timeWhere([instrument], req.from, req.to, after);
    params.push(limit);
    return this.dataSource.query<ExportRow[]>(
      `SELECT instrument, time, ${METRIC_VALUE_COLUMNS.join(', ')}
         FROM volatility_metrics
        WHERE instrument = $1 ${where}
        ORDER BY time LIMIT $${params.length}`,
      params,
    );
  }

  /** Day by day, window by window, pairs in name order: the order of the unique key's columns. */
  private async *correlations(
    req: ExportRequest,
    options: BatchOptions,
  ): AsyncGenerator<ExportRow[]> {
    const { fromDay, toDay } = dayBounds(req.from, req.to);
    let after: { time: string; window_size: number; pair1: string; pair2: string } | undefined;
    for (;;) {
      const params: unknown[] = [req.instruments];
      const clauses = ['pair1 = ANY($1)', 'pair2 = ANY($1)'];
      const add = (sql: string, value: unknown): void => {
        params.push(value);
        clauses.push(sql.replace('?', `$${params.length}`));
      };
      if (req.window !== undefined) add('window_size = ?', req.window);
      if (fromDay) add('time >= ?::date', fromDay);
      if (toDay) add('time <= ?::date', toDay);
      if (after) {
        params.push(after.time, after.window_size, after.pair1, after.pair2);
        const n = params.length;
        clauses.push(
          `(time, window_size, pair1, pair2) > ($${n - 3}::date, $${n - 2}, $${n - 1}, $${n})`,
        );
      }
      params.push(options.batchSize);
      const rows = await this.dataSource.query<ExportRow[]>(
        `SELECT time::text AS time, window_size, pair1, pair2, correlation, sample_size, calculated_at
           FROM correlation_matrix
          WHERE ${clauses.join(' AND ')}
          ORDER BY time, window_size, pair1, pair2 LIMIT $${params.length}`,
        params,
      );
      if (rows.length) yield rows;
      if (rows.length < options.batchSize) return;
      const last = rows[rows.length - 1];
      after = {
        time: last.time as string,
        window_size: last.window_size as number,
        pair1: last.pair1 as string,
        pair2: last.pair2 as string,
      };
    }
  }
}

function timeWhere(
  params: unknown[],
  from: Date | undefined,
  to: Date | undefined,
  after: Date | undefined,
): { where: string; params: unknown[] } {
  let where = '';
  const add = (sql: string, value: Date | undefined): void => {
    if (!value) return;
    params.push(value);
    where += ` AND ${sql} $${params.length}`;
  };
  add('time >=', from);
  add('time <=', to);
  add('time >', after);
  return { where, params };
}
