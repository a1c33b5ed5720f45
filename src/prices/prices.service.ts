import { Injectable } from '@nestjs/common';
import { AppCacheService } from '../cache';
import { CacheKeys } from '../cache';
import { SingleFlight } from '../cache';
import { AppConfig } from '../platform/config';
import type { PriceResponse } from '../platform/pubsub';
import { CandlePrice, LatestCandlePricesReader } from './latest-candle-prices.reader';

/** What `price:<I>` holds: the last live tick, or (after a miss or `cache:warm`) the last candle close. */
export interface CachedPrice {
  instrument: string;
  bid: number;
  ask: number;
  mid: number;
  /** ISO-8601 UTC time of the quote. */
  time: string;
  source: 'stream' | 'candle';
}

/** ask - bid without binary-float noise (0.00009999999999998899 -> 0.0001); FX quotes have <= 6 decimals. */
export const spreadOf = (bid: number, ask: number): number => Number((ask - bid).toFixed(8));

export function toPriceResponse(p: CachedPrice): PriceResponse {
  return {
    instrument: p.instrument,
    bid: p.bid,
    ask: p.ask,
    mid: p.mid,
    spread: spreadOf(p.bid, p.ask),
    time: p.time,
    source: p.source,
  };
}

export function fromCandle(c: CandlePrice): CachedPrice {
  return {
    instrument: c.instrument,
    bid: Number(c.bid),
    ask: Number(c.ask),
    mid: Number(c.mid),
    time: c.time.toISOString(),
    source: 'candle',
  };
}

/**
 * Current prices: the live tick cached by the price stream, else the last
 * stored candle close (refilled into the cache). With Redis down every read
 * goes to PostgreSQL, so prices keep being served.
 */
@Injectable()
export class PricesService {
  private readonly flights = new SingleFlight();

  constructor(
    private readonly config: AppConfig,
    private readonly cache: AppCacheService,
    private readonly keys: CacheKeys,
    private readonly candles: LatestCandlePricesReader,
  ) {}

  /** null when the instrument has neither a live tick nor a stored candle. Callers check it is tracked. */
  async current(instrument: string): Promise<PriceResponse | null> {
    const { key, ttl } = this.keys.price(instrument);
    const price = await this.cache.getOrLoad<CachedPrice | null>(key, ttl, async () => {
      const found = (await this.candles.latest([instrument])).get(instrument);
      return found ? fromCandle(found) : null;
    });
    return price ? toPriceResponse(price) : null;
  }

  /** Every tracked instrument that has a price, in configured order; cache misses load in ONE query. */
  async all(): Promise<PriceResponse[]> {
    const instruments = this.config.market.instruments;
    const cached = await Promise.all(
      instruments.map((i) => this.cache.get<CachedPrice>(this.keys.price(i).key)),
    );
    const missing = instruments.filter((_, idx) => !cached[idx]);
    let loaded = new Map<string, CachedPrice>();
    if (missing.length) {
      loaded = await this.flights.run(missing.join(','), async () => {
        const rows = await this.candles.latest(missing);
        const prices = new Map([...rows].map(([i, c]) => [i, fromCandle(c)]));
        await Promise.all(
          [...prices].map(([i, p]) =>
            this.cache.set(this.keys.price(i).key, p, this.keys.price(i).ttl),
          ),
        );
        return prices;
      });
    }
    return instruments
      .map((i, idx) => cached[idx] ?? loaded.get(i))
      .filter((p): p is CachedPrice => !!p)
      .map(toPriceResponse);
  }

  /** Fills `price:<I>` from the last candles where no live tick is cached (`cache:warm`). */
  async warmFromCandles(): Promise<number> {
    if (!this.cache.available) throw new Error('Redis is not reachable, nothing can be warmed');
    const instruments = this.config.market.instruments;
    const rows = await this.candles.latest(instruments);
    let written = 0;
    for (const [instrument, candle] of rows) {
      const { key, ttl } = this.keys.price(instrument);
      const existing = await this.cache.get<CachedPrice>(key);
      // A live tick is fresher than any candle close; never overwrite it.
      if (existing?.source === 'stream') continue;
      if (await this.cache.set(key, fromCandle(candle), ttl)) written += 1;
    }
    return written;
  }
}
