import { GRANULARITY_SECONDS } from '../../platform/time';
import type { Granularity } from '../../platform/time';
import { Ohlc, PermanentProviderError, ProviderCandle } from '../market-data-provider.interface';
import { formatOandaTime, parseOandaTime } from './oanda-time';

/** OANDA serves at most 5000 candles per request. */
export const MAX_CANDLES_PER_REQUEST = 5000;
/**
 * A `to` this close to now (or later) risks OANDA's "time is in the future"
 * error under clock skew; such ranges are read with `count` instead.
 */
export const FUTURE_MARGIN_MS = 60_000;

/** Where the next request starts and whether the candle at `cursor` itself is wanted. */
export interface CandleCursor {
  cursor: number;
  includeFirst: boolean;
}

export interface CandleRequestPlan {
  query: Record<string, string>;
  /** Set for from/to windows: the window's end, where the next window starts. */
  windowEnd?: number;
}

/**
 * The next candles request for [cursor, to). Never `count` together with
 * `from` and `to` (OANDA rejects it), never more than 5000 candles:
 *  - a historical range is read in from/to windows of 4999 periods (so at
 *    most 5000 candles even if OANDA's `to` is inclusive);
 *  - a range reaching the present is read with from + count=5000, so no `to`
 *    in the future is ever sent, and paging continues after the last candle
 *    (includeFirst=false) until a short page says the present was reached.
 *    Since windows are used until fewer than 4999 periods remain, that is
 *    normally a single request; the continuation guards against clock skew.
 */
export function planCandleRequest(
  granularity: Granularity,
  position: CandleCursor,
  to: number,
  now: number,
): CandleRequestPlan {
  const periodMs = GRANULARITY_SECONDS[granularity] * 1000;
  // One period short of 5000: whether OANDA counts a candle starting exactly at `to` or not, a window never holds more than 5000.
  const windowEnd = Math.min(to, position.cursor + (MAX_CANDLES_PER_REQUEST - 1) * periodMs);
  const query: Record<string, string> = {
    price: 'MBA',
    granularity,
    from: formatOandaTime(new Date(position.cursor)),
    includeFirst: String(position.includeFirst),
  };
  if (windowEnd <= now - FUTURE_MARGIN_MS) {
    query.to = formatOandaTime(new Date(windowEnd));
    return { query, windowEnd };
  }
  query.count = String(MAX_CANDLES_PER_REQUEST);
  return { query };
}

const DECIMAL = /^\d+(\.\d+)?$/;

function ohlc(value: unknown, what: string): Ohlc {
  const v = value as Partial<Record<keyof Ohlc, unknown>> | undefined;
  if (!v || typeof v !== 'object') throw new PermanentProviderError(`${what} is missing`);
  for (const key of ['o', 'h', 'l', 'c'] as const) {
    if (typeof v[key] !== 'string' || !DECIMAL.test(v[key])) {
      throw new PermanentProviderError(
        `${what}.${key} is not a decimal string: ${JSON.stringify(v[key])}`,
      );
    }
  }
  // Prices stay the exact strings OANDA sent.
  return { o: v.o as string, h: v.h as string, l: v.l as string, c: v.c as string };
}

/**
 * Candles from a `GET /v3/instruments/{instrument}/candles` body:
 * `{instrument, granularity, candles: [{time, volume, complete, mid, bid, ask}]}`.
 * Malformed data is a permanent error (retrying returns the same body).
 */
export function parseCandlesResponse(
  body: unknown,
  instrument: string,
  granularity: Granularity,
): ProviderCandle[] {
  const candles = (body as { candles?: unknown } | null)?.candles;
  if (!Array.isArray(candles)) {
    throw new PermanentProviderError(`candles response for ${instrument} has no candles array`);
  }
  return candles.map((raw: unknown, i) => {
    const c = raw as Record<string, unknown>;
    const what = `${instrument} candle ${i}`;
    let time: Date;
    try {
      time = parseOandaTime(c.time);
    } catch (error) {
      throw new PermanentProviderError(`${what}: ${(error as Error).message}`);
    }
    const volume = Number(c.volume ?? 0);
    if (!Number.isInteger(volume) || volume < 0) {
      throw new PermanentProviderError(
        `${what}: volume is not a count: ${JSON.stringify(c.volume)}`,
      );
    }
    return {
      instrument,
      granularity,
      time,
      bid: ohlc(c.bid, `${what} bid`),
      ask: ohlc(c.ask, `${what} ask`),
      mid: ohlc(c.mid, `${what} mid`),
      volume,
      complete: c.complete === true,
    };
  });
}
