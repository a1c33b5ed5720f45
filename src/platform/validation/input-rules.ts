/**
 * The one rule for every value a client or an operator types: REST query and
 * path parameters and CLI options all parse dates, times and integers here,
 * so `2026-02-30` or `0x10` is refused the same way everywhere. Pure
 * functions: each returns the value or a reason that the caller prefixes
 * with the field's name (`limit`, `--from`).
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** How much of a client's input an error message may quote. */
export const MAX_ECHO_CHARS = 64;

/** Years a date or time may have: the Unix epoch to the last four-digit year. */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 9999;

/**
 * At most `max` characters (code points) of `text`, then '…': an error names
 * what was wrong without sending a 10 KB parameter back.
 */
export function bounded(text: string, max = MAX_ECHO_CHARS): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}

/** `"value"`, bounded and JSON-escaped (quotes, control characters), for messages. */
export function quoted(value: unknown): string {
  return JSON.stringify(bounded(typeof value === 'string' ? value : String(value)));
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// RFC 3339 profile of ISO 8601: upper-case T, seconds and fraction optional,
// a zone is required (a time without one would be read in the server's zone).
const TIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const DATE_EXAMPLE = 'a date like 2026-03-09 (YYYY-MM-DD)';
const TIME_EXAMPLE =
  'an ISO-8601 date-time with a zone, like 2026-03-09T12:30:00Z, or a date like 2026-03-09';

/** Checks year, month and day against the calendar (no roll-over: 02-30 is not 03-02). */
function calendarReason(y: number, m: number, d: number): string | undefined {
  if (y < MIN_YEAR || y > MAX_YEAR) return `year ${y} is out of range (${MIN_YEAR} to ${MAX_YEAR})`;
  if (m < 1 || m > 12) return `month ${m} does not exist`;
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d < 1 || d > daysInMonth)
    return `day ${d} does not exist in ${y}-${String(m).padStart(2, '0')} (${daysInMonth} days)`;
  return undefined;
}

/** A calendar day `YYYY-MM-DD` (UTC); the value is the same text, now known to exist. */
export function parseCalendarDate(raw: unknown): Parsed<string> {
  if (typeof raw !== 'string') return fail(`must be ${DATE_EXAMPLE}`);
  const m = DATE_RE.exec(raw);
  if (!m) return fail(`must be ${DATE_EXAMPLE}, got ${quoted(raw)}`);
  const reason = calendarReason(+m[1], +m[2], +m[3]);
  return reason ? fail(`is not a valid calendar date: ${reason}`) : ok(raw);
}

/** Midnight UTC of a calendar day (CLI `--as-of`). */
export function parseCalendarDay(raw: unknown): Parsed<Date> {
  const day = parseCalendarDate(raw);
  return day.ok ? ok(new Date(`${day.value}T00:00:00Z`)) : day;
}

/**
 * An instant: a date-time with `Z` or `±HH:MM`, or a bare date meaning 00:00
 * UTC. Hours 00-23, minutes and seconds 00-59, offsets up to ±23:59.
 */
export function parseIsoTime(raw: unknown): Parsed<Date> {
  if (typeof raw !== 'string') return fail(`must be ${TIME_EXAMPLE}`);
  const date = DATE_RE.exec(raw);
  const m = date ?? TIME_RE.exec(raw);
  if (!m) return fail(`must be ${TIME_EXAMPLE}; got ${quoted(raw)}`);
  const invalid = (reason: string): Parsed<Date> =>
    fail(`is not a valid calendar date-time: ${reason}`);
  const dayReason = calendarReason(+m[1], +m[2], +m[3]);
  if (dayReason) return invalid(dayReason);
  if (date) return ok(new Date(`${raw}T00:00:00Z`));
  const [hour, minute, second = '00', , zone] = m.slice(4);
  if (+hour > 23) return invalid(`hour ${hour} does not exist`);
  if (+minute > 59) return invalid(`minute ${minute} does not exist`);
  if (+second > 59) return invalid(`second ${second} does not exist`);
  if (zone !== 'Z' && (+zone.slice(1, 3) > 23 || +zone.slice(4) > 59))
    return invalid(`offset ${zone} does not exist`);
  // Every field is checked, so Date's own parser cannot roll anything over here.
  return ok(new Date(raw));
}

export interface IntRange {
  min: number;
  max: number;
}

// Canonical decimal only: no sign on positives, no leading zeros, no spaces,
// no 0x10 / 1e2 / 100.0 (Number() accepts all of those).
const INT_RE = /^-?(0|[1-9]\d*)$/;

/** A whole number within [min, max], written as plain decimal digits. */
export function parseStrictInt(raw: unknown, range: IntRange): Parsed<number> {
  const expect = `an integer from ${range.min} to ${range.max}`;
  if (typeof raw !== 'string') return fail(`must be ${expect}`);
  if (!INT_RE.test(raw) || raw === '-0')
    return fail(`must be ${expect} in plain digits, got ${quoted(raw)}`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max)
    return fail(`must be between ${range.min} and ${range.max}, got ${bounded(raw)}`);
  return ok(n);
}

/** One of a fixed list of words, exactly as written (case-sensitive). */
export function parseEnum<T extends string>(raw: unknown, values: readonly T[]): Parsed<T> {
  const list = `one of ${values.join(', ')}`;
  if (typeof raw !== 'string') return fail(`must be ${list}`);
  return (values as readonly string[]).includes(raw)
    ? ok(raw as T)
    : fail(`must be ${list}, got ${quoted(raw)}`);
}
