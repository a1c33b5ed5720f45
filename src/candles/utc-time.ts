/**
 * ISO-8601 date or date-time. A time without a zone is read as UTC (the
 * whole service speaks UTC; JavaScript would otherwise read it as local time).
 */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** The instant, or undefined when the text is not a real ISO-8601 date/time (2026-02-30 is not). */
export function parseUtcTime(text: string): Date | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = m;
  // Date.parse rolls 2026-02-30 over to March; rebuild the fields and compare instead.
  const fields = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  const check = new Date(fields);
  if (
    check.getUTCFullYear() !== +y ||
    check.getUTCMonth() !== +mo - 1 ||
    check.getUTCDate() !== +d ||
    +h > 23 ||
    +mi > 59 ||
    +s > 59
  )
    return undefined;
  const normalised =
    m[4] === undefined ? `${y}-${mo}-${d}T00:00:00Z` : text.trim().replace(' ', 'T');
  const withZone = m[7] === undefined && m[4] !== undefined ? `${normalised}Z` : normalised;
  const t = new Date(withZone);
  return Number.isNaN(t.getTime()) ? undefined : t;
}
