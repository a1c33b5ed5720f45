import {
  addDays,
  type CalendarDate,
  weekdayOf,
  zonedParts,
  zonedTimeToUtc,
} from '../platform/time';
import { DAY_MS } from '../platform/time';

/**
 * Market-session clock: which sessions are open at an instant, when each opens
 * or closes next, and where sessions overlap. Pure functions over epoch
 * milliseconds; no Nest, no I/O.
 *
 * Two ways to read a session's hours:
 * - `utc`: the fixed UTC hours of the design table (London 08:00-16:00 UTC all year);
 * - `dst_aware`: the local hours in the session's IANA zone (London 08:00-16:00
 *   Europe/London, i.e. 07:00-15:00 UTC in summer), so each session follows its
 *   own city's daylight saving — Europe and the US change on different dates,
 *   Sydney in the opposite season.
 *
 * Sessions trade Monday to Friday of their own city: the session that opens
 * on a local Saturday or Sunday does not happen. Sydney's Monday session opens
 * on Sunday evening UTC; New York's Friday session is the last of the week.
 */

export type ClockMode = 'utc' | 'dst_aware';

export interface SessionDefinition {
  name: string;
  /** 'HH:MM' or 'HH:MM:SS' (PostgreSQL `time`). */
  openUtc: string;
  closeUtc: string;
  /** IANA zone of the session's financial centre. */
  timezone: string;
  localOpen: string;
  localClose: string;
}

export interface Interval {
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive. */
  end: number;
}

export interface SessionState {
  name: string;
  isOpen: boolean;
  /** The interval containing the instant, when open. */
  current: Interval | null;
  /** Next opening strictly after the instant (tomorrow's when open now). */
  nextOpen: number;
  /** End of the current interval when open, otherwise of the next one. */
  nextClose: number;
  opensInSeconds: number | null;
  closesInSeconds: number | null;
  /** UTC hours of the current (or next) interval, 'HH:MM'; differs from the table in dst_aware mode. */
  effectiveOpenUtc: string;
  effectiveCloseUtc: string;
}

export interface Overlap {
  /** The two sessions, the one that opened first (for this overlap) first: Sydney/Tokyo, Tokyo/London, London/NewYork. */
  sessions: [string, string];
  start: number;
  end: number;
}

export interface ClockReading {
  at: number;
  mode: ClockMode;
  sessions: SessionState[];
  /** Overlaps in progress at the instant. */
  overlaps: Overlap[];
  /** For every pair of sessions that overlap at all, the next overlap starting after the instant. */
  upcomingOverlaps: Overlap[];
}

const MINUTE_MS = 60_000;
/** Far enough back to find a session that opened before a weekend, far enough ahead to cross one. */
const LOOK_BEHIND_MS = 3 * DAY_MS;
const LOOK_AHEAD_MS = 9 * DAY_MS;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/** Minutes after midnight of 'HH:MM[:SS]'; throws naming the bad value. */
export function parseClockTime(value: string): number {
  const m = TIME.exec(value);
  if (!m) throw new RangeError(`"${value}" is not a time of day (expected HH:MM or HH:MM:SS)`);
  return Number(m[1]) * 60 + Number(m[2]) + Number(m[3] ?? 0) / 60;
}

const isTradingWeekday = (weekday: number): boolean => weekday >= 1 && weekday <= 5;

const utcDate = (epochMs: number): CalendarDate => {
  const d = new Date(epochMs);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
};

const durationMinutes = (open: number, close: number): number =>
  // A close at or before the open means the session ends the next day (Sydney 22:00-06:00).
  close > open ? close - open : close + 1440 - open;

/**
 * The session's trading intervals that intersect [from, to), oldest first.
 * In `utc` mode the trading day is the session city's local date at the open.
 */
export function sessionIntervals(
  def: SessionDefinition,
  from: number,
  to: number,
  mode: ClockMode,
): Interval[] {
  const intervals: Interval[] = [];
  if (mode === 'utc') {
    const open = parseClockTime(def.openUtc);
    const length = durationMinutes(open, parseClockTime(def.closeUtc)) * MINUTE_MS;
    // Start a day early so a session that opened yesterday and is still running is found.
    for (let day = utcDate(from - DAY_MS); ; day = addDays(day, 1)) {
      const start = Date.UTC(day.year, day.month - 1, day.day) + open * MINUTE_MS;
      if (start >= to) break;
      const end = start + length;
      if (end > from && isTradingWeekday(zonedParts(start, def.timezone).weekday)) {
        intervals.push({ start, end });
      }
    }
    return intervals;
  }
  const open = parseClockTime(def.localOpen);
  const close = parseClockTime(def.localClose);
  const crossesMidnight = close <= open;
  const first = zonedParts(from - DAY_MS, def.timezone);
  for (let day: CalendarDate = first; ; day = addDays(day, 1)) {
    const start = zonedTimeToUtc(day, open, def.timezone);
    if (start >= to) break;
    const end = zonedTimeToUtc(crossesMidnight ? addDays(day, 1) : day, close, def.timezone);
    if (end > from && isTradingWeekday(weekdayOf(day))) intervals.push({ start, end });
  }
  return intervals;
}

const hhmm = (epochMs: number): string => new Date(epochMs).toISOString().slice(11, 16);
const seconds = (ms: number): number => Math.round(ms / 1000);

/** One session's state at `at`. */
export function sessionState(def: SessionDefinition, at: number, mode: ClockMode): SessionState {
  return stateAt(
    def.name,
    sessionIntervals(def, at - LOOK_BEHIND_MS, at + LOOK_AHEAD_MS, mode),
    at,
  );
}

function stateAt(name: string, intervals: readonly Interval[], at: number): SessionState {
  const current = intervals.find((i) => i.start <= at && at < i.end) ?? null;
  const next = intervals.find((i) => i.start > at);
  if (!next) {
    // Only reachable with a zone that never has a weekday, i.e. corrupt data.
    throw new RangeError(`session ${name} has no opening in the next 9 days`);
  }
  const shown = current ?? next;
  return {
    name,
    isOpen: current !== null,
    current,
    nextOpen: next.start,
    nextClose: shown.end,
    opensInSeconds: current ? null : seconds(next.start - at),
    closesInSeconds: current ? seconds(current.end - at) : null,
    effectiveOpenUtc: hhmm(shown.start),
    effectiveCloseUtc: hhmm(shown.end),
  };
}

/** Intersections of two sorted interval lists. */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i].start, b[j].start);
    const end = Math.min(a[i].end, b[j].end);
    if (start < end) out.push({ start, end });
    if (a[i].end < b[j].end) i += 1;
    else j += 1;
  }
  return out;
}

/** Start of the interval of `list` that contains the overlap `o`. */
const openedAt = (list: readonly Interval[], o: Interval): number =>
  list.find((i) => i.start <= o.start && o.start < i.end)?.start ?? o.start;

/**
 * Every session's state at `at` plus the overlaps, computed generically from
 * the intervals (so London/New York, Sydney/Tokyo and, in European summer,
 * Tokyo/London appear whenever the hours make them overlap).
 */
export function readClock(
  defs: readonly SessionDefinition[],
  at: number,
  mode: ClockMode,
): ClockReading {
  const from = at - LOOK_BEHIND_MS;
  const to = at + LOOK_AHEAD_MS;
  const intervals = defs.map((d) => sessionIntervals(d, from, to, mode));
  const overlaps: Overlap[] = [];
  const upcomingOverlaps: Overlap[] = [];
  for (let i = 0; i < defs.length; i += 1) {
    for (let j = i + 1; j < defs.length; j += 1) {
      const shared = intersect(intervals[i], intervals[j]);
      const named = (o: Interval): Overlap => {
        const first = openedAt(intervals[i], o) <= openedAt(intervals[j], o);
        const sessions: [string, string] = first
          ? [defs[i].name, defs[j].name]
          : [defs[j].name, defs[i].name];
        return { sessions, start: o.start, end: o.end };
      };
      const now = shared.find((o) => o.start <= at && at < o.end);
      if (now) overlaps.push(named(now));
      const next = shared.find((o) => o.start > at);
      if (next) upcomingOverlaps.push(named(next));
    }
  }
  upcomingOverlaps.sort((a, b) => a.start - b.start);
  return {
    at,
    mode,
    sessions: defs.map((d, i) => stateAt(d.name, intervals[i], at)),
    overlaps,
    upcomingOverlaps,
  };
}
