/**
 * OANDA DateTime values: RFC3339 with up to nine fractional digits
 * ("2016-10-17T15:00:00.000000000Z") or, with Accept-Datetime-Format: UNIX,
 * seconds since the epoch as a decimal string ("1476716400.000000000").
 * Parsed with integer arithmetic so no precision is lost down to the
 * millisecond (JavaScript Dates stop there; OANDA candle times are whole
 * seconds and tick times lose only their sub-millisecond digits).
 */

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i;
const UNIX = /^(\d+)(?:\.(\d{1,9}))?$/;

const millisOf = (fraction: string | undefined): number =>
  fraction ? Number(fraction.padEnd(3, '0').slice(0, 3)) : 0;

export function parseOandaTime(value: unknown): Date {
  if (typeof value !== 'string')
    throw new TypeError(`time is not a string: ${JSON.stringify(value)}`);
  const unix = UNIX.exec(value);
  if (unix) return new Date(Number(unix[1]) * 1000 + millisOf(unix[2]));
  const m = RFC3339.exec(value);
  if (!m) throw new TypeError(`time is not RFC3339 or UNIX: ${JSON.stringify(value)}`);
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const fraction = m[7];
  const zone = m[8];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, millisOf(fraction));
  // Date.UTC rolls out-of-range fields over (Feb 31 -> Mar 3); a real OANDA time never has them.
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw new TypeError(`time is not a valid date: ${JSON.stringify(value)}`);
  }
  if (zone.toUpperCase() === 'Z') return check;
  const sign = zone[0] === '-' ? -1 : 1;
  const offsetMinutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6));
  return new Date(wall - sign * offsetMinutes * 60_000);
}

/** RFC3339 with nanoseconds, the way OANDA writes it. */
export function formatOandaTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}
