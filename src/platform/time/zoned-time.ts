import { DAY_MS } from './durations';
/**
 * Wall-clock arithmetic in IANA time zones on top of Intl.DateTimeFormat, so
 * daylight saving comes from the runtime's tz database instead of hand-kept
 * rules. Pure functions; no Nest.
 */

const MINUTE_MS = 60_000;

export interface ZonedParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday ... 6 = Saturday, of the local date. */
  weekday: number;
}

/** A calendar date without a time or zone. */
export interface CalendarDate {
  year: number;
  month: number; // 1-12
  day: number;
}

// Building a DateTimeFormat is far more expensive than using one; there are only a handful of zones.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(
        `unknown time zone "${timeZone}" (expected an IANA name like Europe/London)`,
      );
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Local calendar fields of an instant in `timeZone`. */
export function zonedParts(epochMs: number, timeZone: string): ZonedParts {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year, month, day, hour, minute, second } = fields;
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
  };
}

/** Offset of `timeZone` from UTC at an instant, in milliseconds (east positive). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const p = zonedParts(epochMs, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  // Intl drops milliseconds; compare against the instant truncated to the second.
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant at which the clocks in `timeZone` show `minutes` after midnight
 * of `date`. Two passes settle the offset on either side of a DST change; a
 * local time skipped by a spring-forward resolves to the instant after the gap.
 */
export function zonedTimeToUtc(date: CalendarDate, minutes: number, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minutes * MINUTE_MS;
  let guess = wall - zoneOffsetMs(wall, timeZone);
  const second = wall - zoneOffsetMs(guess, timeZone);
  if (second !== guess) {
    // In a gap neither offset reproduces the wall time; the later instant is the useful answer.
    guess = Math.max(second, wall - zoneOffsetMs(second, timeZone));
  }
  return guess;
}

/** `date` plus `days` calendar days. */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function weekdayOf(date: CalendarDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

/** Checks an IANA zone name without throwing. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}
