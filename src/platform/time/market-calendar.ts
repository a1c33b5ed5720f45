import { GRANULARITY_SECONDS } from './granularity-seconds';
import type { Granularity } from './granularity';
import { SECOND_MS, HOUR_MS, DAY_MS, WEEK_MS } from './durations';

const { floor } = Math;

/**
 * The FX trading calendar used across the service (simulated market, gap
 * finder, data freshness). The week follows New York: the market is CLOSED
 * from Friday 17:00 to Sunday 17:00 America/New_York, i.e. 21:00 UTC while
 * the US is on daylight time and 22:00 UTC in winter - which is where real
 * OANDA (and the fx-real fixtures) have their last and first hourly bars.
 * Holidays are not modelled: a missing holiday candle shows up as a gap.
 * Candle periods are aligned as follows:
 *   - S5..H12: multiples of the period from 00:00 UTC (H4 -> 00, 04, 08, ...);
 *   - D: trading days starting 17:00 New York (OANDA's default daily
 *     alignment), so 21:00 or 22:00 UTC and five daily candles a week;
 *   - W: weeks starting at the Sunday 17:00 New York open;
 *   - M: calendar months starting on the 1st at 00:00 UTC.
 * A candle exists when its period contains trading time.
 */

const mod = (a: number, n: number): number => ((a % n) + n) % n;

/** [start, end) of US daylight time in a year: 2nd Sunday of March 07:00 UTC to 1st Sunday of November 06:00 UTC. */
const dstCache = new Map<number, readonly [number, number]>();
function usDaylightTime(year: number): readonly [number, number] {
  let bounds = dstCache.get(year);
  if (!bounds) {
    const sunday = (month: number, nth: number): number => {
      const first = Date.UTC(year, month, 1);
      const weekday = new Date(first).getUTCDay();
      return first + (mod(7 - weekday, 7) + 7 * (nth - 1)) * DAY_MS;
    };
    // 02:00 local: 07:00 UTC on standard time in March, 06:00 UTC on daylight time in November.
    bounds = [sunday(2, 2) + 7 * HOUR_MS, sunday(10, 1) + 6 * HOUR_MS] as const;
    dstCache.set(year, bounds);
  }
  return bounds;
}

/** UTC hour of the New York 17:00 weekly close/open at the instant `ms`: 21 on US daylight time, else 22. */
export function weeklyCloseHourUtc(ms: number): number {
  const [start, end] = usDaylightTime(new Date(ms).getUTCFullYear());
  return ms >= start && ms < end ? 21 : 22;
}

/** True if the UTC hour starting at `hourStartMs` (a multiple of an hour) is a trading hour. */
export function isOpenHour(hourStartMs: number): boolean {
  const day = floor(hourStartMs / DAY_MS);
  // 1970-01-01 was a Thursday: weekday 0 = Sunday ... 6 = Saturday.
  const weekday = mod(day + 4, 7);
  if (weekday >= 1 && weekday <= 4) return true;
  if (weekday === 6) return false;
  const hour = mod(floor(hourStartMs / HOUR_MS), 24);
  const boundary = weeklyCloseHourUtc(hourStartMs);
  return weekday === 5 ? hour < boundary : hour >= boundary;
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

/**
 * 17:00 New York on the UTC day starting at `dayStartMs`. US clocks change at
 * 06:00/07:00 UTC, so the offset at noon UTC is the one in force at 17:00 NY.
 */
function newYorkFivePm(dayStartMs: number): number {
  return dayStartMs + weeklyCloseHourUtc(dayStartMs + 12 * HOUR_MS) * HOUR_MS;
}

/** Start of the period of `granularity` that contains `ms`. */
export function periodStart(granularity: Granularity, ms: number): number {
  switch (granularity) {
    case 'D': {
      const day = floor(ms / DAY_MS) * DAY_MS;
      const boundary = newYorkFivePm(day);
      return ms >= boundary ? boundary : newYorkFivePm(day - DAY_MS);
    }
    case 'W': {
      const day = floor(ms / DAY_MS) * DAY_MS;
      const sunday = day - mod(floor(day / DAY_MS) + 4, 7) * DAY_MS;
      const boundary = newYorkFivePm(sunday);
      return ms >= boundary ? boundary : newYorkFivePm(sunday - WEEK_MS);
    }
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
  // Days and weeks last 23 or 25 hours across a US clock change.
  if (granularity === 'D') return newYorkFivePm(floor(start / DAY_MS) * DAY_MS + DAY_MS);
  if (granularity === 'W') return newYorkFivePm(floor(start / DAY_MS) * DAY_MS + WEEK_MS);
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
