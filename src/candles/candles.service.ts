import { BadRequestException, Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { isoTimeParam } from '../platform/validation';
import { decodeCursor, encodeCursor, InvalidCursorError } from './candle-cursor';
import {
  csvHeader,
  csvRow,
  parsePriceComponents,
  type CandleRow,
  type PriceComponent,
} from './candle-format';
import { CandleReader, type CandleRange } from './candle-reader.store';
import { DEFAULT_CANDLE_LIMIT, type GetCandlesQuery } from './dto/get-candles.query';

interface ResolvedQuery {
  range: CandleRange;
  components: PriceComponent[];
  price: string;
}

/**
 * One JSON page: `body` is the CandlesResponseDto as JSON text (built from the
 * rows PostgreSQL rendered, never parsed and stringified again), `candles` what
 * the cache policy needs to know about them.
 */
export interface CandlePage {
  body: string;
  candles: Array<{ time: number; complete: boolean }>;
  next_cursor: string | null;
}

/** The candles API: JSON pages with keyset cursors, and streamed CSV exports. */
@Injectable()
export class CandlesService {
  constructor(private readonly reader: CandleReader) {}

  async page(instrument: string, query: GetCandlesQuery): Promise<CandlePage> {
    const { range, components, price } = resolve(instrument, query);
    const limit = query.limit ?? DEFAULT_CANDLE_LIMIT;
    // One extra row tells whether another page exists without a count query.
    const rows = await this.reader.jsonPage(range, limit + 1, components);
    const more = rows.length > limit;
    const shown = more ? rows.slice(0, limit) : rows;
    const nextCursor = more ? encodeCursor(new Date(shown[shown.length - 1].t)) : null;
    // Keys in CandlesResponseDto's order; the strings are JSON-escaped like everything else.
    const head = JSON.stringify({
      instrument,
      granularity: range.granularity,
      price,
      count: shown.length,
    });
    const body =
      `${head.slice(0, -1)},"candles":[${shown.map((r) => r.json).join(',')}],` +
      `"next_cursor":${JSON.stringify(nextCursor)}}`;
    return {
      body,
      candles: shown.map((r) => ({ time: r.t, complete: r.complete })),
      next_cursor: nextCursor,
    };
  }

  /**
   * CSV of the whole range (or `limit` rows when given), read in keyset
   * batches and written as they arrive. The first batch is read before the
   * response starts, so a database error still becomes a proper 500.
   */
  async csv(instrument: string, query: GetCandlesQuery): Promise<Readable> {
    const { range, components } = resolve(instrument, query);
    const batches = this.reader.batches(range, { max: query.limit });
    const first = await batches.next();
    async function* lines(): AsyncGenerator<string> {
      yield csvHeader(components);
      if (first.done) return;
      yield chunk(first.value, components);
      for await (const rows of batches) yield chunk(rows, components);
    }
    return Readable.from(lines(), { objectMode: false });
  }
}

const chunk = (rows: readonly CandleRow[], components: readonly PriceComponent[]): string =>
  rows.map((r) => csvRow(r, components)).join('');

function resolve(instrument: string, query: GetCandlesQuery): ResolvedQuery {
  const from = isoTimeParam(query.from, 'from');
  const to = isoTimeParam(query.to, 'to');
  if (from && to && from > to) throw new BadRequestException('from must not be after to');
  let after: Date | undefined;
  if (query.cursor !== undefined) {
    try {
      after = decodeCursor(query.cursor);
    } catch (error) {
      if (error instanceof InvalidCursorError) throw new BadRequestException(error.message);
      throw error;
    }
  }
  const price = query.price ?? 'M';
  return {
    range: { instrument, granularity: query.granularity ?? 'H1', from, to, after },
    components: parsePriceComponents(price),
    price,
  };
}
