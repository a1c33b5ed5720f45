import { GRANULARITY_SECONDS } from './granularity-seconds';
/** OANDA v20's candlestick granularities, shortest first. */
export const GRANULARITIES = [
  'S5',
  'S10',
  'S15',
  'S30',
  'M1',
  'M2',
  'M4',
  'M5',
  'M10',
  'M15',
  'M30',
  'H1',
  'H2',
  'H3',
  'H4',
  'H6',
  'H8',
  'H12',
  'D',
  'W',
  'M',
] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/**
 * Granularities whose candles open on UTC multiples of their length for every
 * provider. From H2 up, OANDA aligns candles to its daily alignment (17:00 New
 * York, which moves with DST), so a UTC grid would report phantom gaps.
 */
const UTC_GRID: ReadonlySet<Granularity> = new Set(
  GRANULARITIES.slice(0, GRANULARITIES.indexOf('H1') + 1),
);

export function isGranularity(value: unknown): value is Granularity {
  return typeof value === 'string' && (GRANULARITIES as readonly string[]).includes(value);
}

/**
 * Candle length in milliseconds, or undefined for the calendar month (whose
 * length varies, so callers fall back to "just after the last candle").
 */
export function granularityMs(granularity: Granularity): number | undefined {
  return granularity === 'M' ? undefined : GRANULARITY_SECONDS[granularity] * 1000;
}

/** True when the expected candle times of this granularity are knowable (gap detection works). */
export function hasUtcGrid(granularity: Granularity): boolean {
  return UTC_GRID.has(granularity);
}

/** Gap detection works for these; listed in error messages. */
export const GAP_GRANULARITIES: readonly Granularity[] = [...UTC_GRID];
