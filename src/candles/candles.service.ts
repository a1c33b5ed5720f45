import { BadRequestException, Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { isoTimeParam } from '../platform/validation';
import { decodeCursor, encodeCursor, InvalidCursorError } from './candle-cursor';
import {
  csvHeader,
  csvRow,
  parsePriceComponents,
  toCandleJson,
  type CandleRow,
  type PriceComponent,
} from './candle-format';
import { CandleReader, type CandleRange } from './candle-reader.store';
import type { CandlesResponseDto } from './dto/candles-response.dto';
import { DEFAULT_CANDLE_LIMIT, type GetCandlesQuery } from './dto/get-candles.query';

interface ResolvedQuery {
  range: CandleRange;
  components: PriceComponent[];
  price: string;
}

/** The candles API: JSON pages with keyset cursors, and streamed CSV exports. */
@Injectable()
export class CandlesService {
  constructor(private readonly reader: CandleReader) {}

  async page(instrument: string, query: GetCandlesQuery): Promise<CandlesResponseDto> {
    const { range, components, price } = resolve(instrument, query);
    const limit = query.limit ?? DEFAULT_CANDLE_LIMIT;
    // One extra row tells whether another page exists without a count query.
    const rows = await this.reader.page(range, limit + 1);
    const more = rows.length > limit;
    const shown = more ? rows.slice(0, limit) : rows;
    return {
      instrument,
      granularity: range.granularity,
      price,
      count: shown.length,
      candles: shown.map((r) => toCandleJson(r, components)),
      next_cursor: more ? encodeCursor(shown[shown.length - 1].time) : null,
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
