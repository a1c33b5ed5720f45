import { HOUR_MS } from '../platform/time';
/**
 * Data freshness of the hourly candles, as pure functions: how far the newest
 * stored complete candle of each instrument lags behind the newest candle the
 * market should have produced by now. Hours when the market is closed (the
 * weekend) produce no candle, so a Friday-evening candle on a Saturday is fresh.
 */

export type FreshnessStatus = 'fresh' | 'stale' | 'missing';

export interface InstrumentFreshness {
  instrument: string;
  /** Open time of the newest complete candle, ISO; null when there is none. */
  last_complete_candle: string | null;
  /** Seconds since that candle closed. */
  age_seconds: number | null;
  /** How far it is behind the newest expected candle, seconds (0 = up to date). */
  lag_seconds: number | null;
  status: FreshnessStatus;
}

export interface FreshnessReport {
  market_open: boolean;
  /** Open time of the newest candle that should exist by now. */
  expected_latest_candle: string;
  tolerance_seconds: number;
  stale: string[];
  missing: string[];
  instruments: InstrumentFreshness[];
}

export interface FreshnessInput {
  now: number;
  instruments: readonly string[];
  lastComplete: ReadonlyMap<string, Date>;
  isMarketOpen: (t: number) => boolean;
  candleMs?: number;
  /** Allowed lag: one candle still being fetched by the next hourly run, plus slack. */
  toleranceMs?: number;
}

/** Longest closed stretch we walk back over (a weekend plus holidays), in candles. */
const MAX_CLOSED_CANDLES = 24 * 7;

/** Open time of the newest candle that has closed by `now` while the market was open. */
export function expectedLatestCandle(
  now: number,
  isMarketOpen: (t: number) => boolean,
  candleMs = HOUR_MS,
): number {
  let t = Math.floor(now / candleMs) * candleMs - candleMs;
  for (let i = 0; i < MAX_CLOSED_CANDLES && !isMarketOpen(t); i += 1) t -= candleMs;
  return t;
}

export function assessFreshness(input: FreshnessInput): FreshnessReport {
  const candleMs = input.candleMs ?? HOUR_MS;
  const tolerance = input.toleranceMs ?? candleMs + 30 * 60_000;
  const expected = expectedLatestCandle(input.now, input.isMarketOpen, candleMs);
  const instruments = input.instruments.map((instrument): InstrumentFreshness => {
    const last = input.lastComplete.get(instrument);
    if (!last) {
      return {
        instrument,
        last_complete_candle: null,
        age_seconds: null,
        lag_seconds: null,
        status: 'missing',
      };
    }
    const lag = Math.max(0, expected - last.getTime());
    return {
      instrument,
      last_complete_candle: last.toISOString(),
      age_seconds: Math.round((input.now - (last.getTime() + candleMs)) / 1000),
      lag_seconds: Math.round(lag / 1000),
      status: lag > tolerance ? 'stale' : 'fresh',
    };
  });
  return {
    market_open: input.isMarketOpen(input.now),
    expected_latest_candle: new Date(expected).toISOString(),
    tolerance_seconds: tolerance / 1000,
    stale: instruments.filter((i) => i.status === 'stale').map((i) => i.instrument),
    missing: instruments.filter((i) => i.status === 'missing').map((i) => i.instrument),
    instruments,
  };
}
