import { Injectable } from '@nestjs/common';
import { CandleReader } from '../candles';
import { CorrelationStore, type CorrelationKey } from '../correlation';
import { VolatilityMetricsStore } from '../volatility';
import type { ExportRow } from './export-columns';
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
 * and no connection or snapshot for long. The SQL is the owning features'
 * (their stores' `page` methods); this only walks the pages.
 */
@Injectable()
export class ExportSource {
  constructor(
    private readonly candles: CandleReader,
    private readonly metrics: VolatilityMetricsStore,
    private readonly correlationStore: CorrelationStore,
  ) {}

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

  private async candlePage(
    req: ExportRequest,
    instrument: string,
    after: Date | undefined,
    limit: number,
  ): Promise<ExportRow[]> {
    const granularity = req.granularity;
    const rows = await this.candles.page(
      { instrument, granularity, from: req.from, to: req.to, after },
      limit,
    );
    return rows.map((row) => ({
      instrument,
      time: row.time,
      granularity,
      open_bid: row.open_bid,
      high_bid: row.high_bid,
      low_bid: row.low_bid,
      close_bid: row.close_bid,
      open_ask: row.open_ask,
      high_ask: row.high_ask,
      low_ask: row.low_ask,
      close_ask: row.close_ask,
      open_mid: row.open_mid,
      high_mid: row.high_mid,
      low_mid: row.low_mid,
      close_mid: row.close_mid,
      volume: row.volume,
      complete: row.complete,
    }));
  }

  private async metricPage(
    req: ExportRequest,
    instrument: string,
    after: Date | undefined,
    limit: number,
  ): Promise<ExportRow[]> {
    return (await this.metrics.page(
      { instrument, from: req.from, to: req.to, after },
      limit,
    )) as ExportRow[];
  }

  /** Day by day, window by window, pairs in name order: the order of the unique key's columns. */
  private async *correlations(
    req: ExportRequest,
    options: BatchOptions,
  ): AsyncGenerator<ExportRow[]> {
    const { fromDay, toDay } = dayBounds(req.from, req.to);
    let after: CorrelationKey | undefined;
    for (;;) {
      const rows = (await this.correlationStore.page(
        { instruments: req.instruments, window: req.window, fromDay, toDay, after },
        options.batchSize,
      )) as ExportRow[];
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
