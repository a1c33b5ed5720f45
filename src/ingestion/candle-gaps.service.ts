import { Injectable } from '@nestjs/common';
import { CandleReader } from '../candles';
import { findGaps, type CandleGap } from './gap-finder';
import { granularityMs, type Granularity } from '../platform/time';
import { candleStart } from '../platform/time';

export interface GapQuery {
  instrument: string;
  granularity: Granularity;
  from: Date;
  /** Exclusive; clipped to the start of the still-forming candle (it cannot be missing yet). */
  to: Date;
  now?: Date;
}

/** Missing complete candles of one instrument inside trading hours. */
@Injectable()
export class CandleGapsService {
  constructor(private readonly reader: CandleReader) {}

  async find(query: GapQuery): Promise<CandleGap[]> {
    const now = query.now ?? new Date();
    const to = new Date(
      Math.min(query.to.getTime(), candleStart(now.getTime(), query.granularity)),
    );
    const step = granularityMs(query.granularity) ?? 0;
    // Start on the grid so a from of 10:30 does not expect a 10:30 candle.
    const from = new Date(Math.ceil(query.from.getTime() / step) * step);
    if (from >= to) return [];
    const present = await this.reader.storedTimes({
      instrument: query.instrument,
      granularity: query.granularity,
      from,
      to,
    });
    return findGaps({ from, to, granularity: query.granularity, present });
  }
}
