import { floor } from './fast-math';
import { GRANULARITY_SECONDS } from '../granularity';
import type { Granularity } from '../market-data-provider.interface';

export { GRANULARITY_SECONDS };

/**
 * Trading calendar of the simulated market, one fixed convention all year
 * (no daylight-saving shifts, no holidays): the market is CLOSED from Friday
 * 21:00 UTC to Sunday 21:00 UTC and open at every other moment. Candle
 * periods are aligned as follows:
 *   - S5..H12: multiples of the period from 00:00 UTC (H4 -> 00, 04, 08, ...);
 *   - D: trading days starting 21:00 UTC (the New York 17:00 close in summer,
 *     OANDA's default alignment), so a week has five daily candles;
 *   - W: weeks starting Sunday 21:00 UTC (the weekly open);
 *   - M: calendar months starting on the 1st at 00:00 UTC.
 * A candle exists when its period contains trading time.
 */

export const SECOND_MS = 1000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
export const DAILY_ALIGNMENT_HOUR_UTC = 21;
const CLOSE_HOUR_UTC = 21;
/** 1970-01-04 (a Sunday) 21:00 UTC: the origin of weekly periods. */
const WEEK_ORIGIN_MS = 3 * DAY_MS + 21 * HOUR_MS;

const mod = (a: number, n: number): number => ((a % n) + n) % n;

/** True if the UTC hour starting at `hourStartMs` (a multiple of an hour) is a trading hour. */
export function isOpenHour(hourStartMs: number): boolean {
  const day = floor(hourStartMs / DAY_MS);
  // 1970-01-01 was a Thursday: weekday 0 = Sunday ... 6 = Saturday.
  const weekday = mod(day + 4, 7);
  const hour = mod(floor(hourStartMs / HOUR_MS), 24);
  if (weekday === 6) return false;
  if (weekday === 5) return hour < CLOSE_HOUR_UTC;
  if (weekday === 0) return hour >= CLOSE_HOUR_UTC;
  return true;
}

/** True if the market is open at the instant `ms`. */
export function isOpenAt(ms: number): boolean {
  return isOpenHour(floor(ms / HOUR_MS) * HOUR_MS);
}

/** Start of the next trading hour at or after `ms` (ms itself when it is already open). */
export function nextOpen(ms: number): number {
  if (isOpenAt(ms)) return ms;
  let hour = floor(ms / HOUR_MS) * HOUR_MS;
  while (!isOpenHour(hour)) hour += HOUR_MS;
  return hour;
}

/** End of the last trading period at or before `ms`: ms itself when open, else the last Friday close. */
export function lastOpenInstant(ms: number): number {
  if (isOpenAt(ms)) return ms;
  let hour = floor(ms / HOUR_MS) * HOUR_MS;
  while (!isOpenHour(hour - HOUR_MS)) hour -= HOUR_MS;
  return hour;
}

/** Start of the period of `granularity` that contains `ms`. */
export function periodStart(granularity: Granularity, ms: number): number {
  switch (granularity) {
    case 'D': {
      const offset = DAILY_ALIGNMENT_HOUR_UTC * HOUR_MS;
      return floor((ms - offset) / DAY_MS) * DAY_MS + offset;
    }
    case 'W':
      return floor((ms - WEEK_ORIGIN_MS) / WEEK_MS) * WEEK_MS + WEEK_ORIGIN_MS;
    case 'M': {
      const d = new Date(ms);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    }
    default: {
      const period = GRANULARITY_SECONDS[granularity] * SECOND_MS;
      return floor(ms / period) * period;
    }
  }
}

/** Start of the period after the one starting at `start`. */
export function nextPeriodStart(granularity: Granularity, start: number): number {
  if (granularity === 'M') {
    const d = new Date(start);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  return start + GRANULARITY_SECONDS[granularity] * SECOND_MS;
}

/** First period start at or after `ms`. */
export function firstPeriodAtOrAfter(granularity: Granularity, ms: number): number {
  const start = periodStart(granularity, ms);
  return start === ms ? start : nextPeriodStart(granularity, start);
}

/** True if the period [start, end) contains any trading time. */
export function periodHasTrading(start: number, end: number): boolean {
  if (end - start <= HOUR_MS) return isOpenAt(start);
  for (let hour = floor(start / HOUR_MS) * HOUR_MS; hour < end; hour += HOUR_MS) {
    if (isOpenHour(hour)) return true;
  }
  return false;
}
