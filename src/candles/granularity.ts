import { GRANULARITIES, type Granularity } from '../market-data/market-data-provider.interface';

export { GRANULARITIES, type Granularity };

/**
 * Length of one candle in seconds for the fixed-length granularities. `M`
 * (month) has no fixed length, so it is absent and callers fall back to
 * "just after the last candle" arithmetic.
 */
const SECONDS: Readonly<Partial<Record<Granularity, number>>> = {
  S5: 5,
  S10: 10,
  S15: 15,
  S30: 30,
  M1: 60,
  M2: 120,
  M4: 240,
  M5: 300,
  M10: 600,
  M15: 900,
  M30: 1800,
  H1: 3600,
  H2: 7200,
  H3: 10800,
  H4: 14400,
  H6: 21600,
  H8: 28800,
  H12: 43200,
  D: 86400,
  W: 604800,
};

/**
 * Granularities whose candles open on UTC multiples of their length for every
 * provider. From H2 up, OANDA aligns candles to its daily alignment (17:00 New
 * York, which moves with DST), so a UTC grid would report phantom gaps.
 */
const UTC_GRID: ReadonlySet<Granularity> = new Set<Granularity>([
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
]);

export function isGranularity(value: unknown): value is Granularity {
  return typeof value === 'string' && (GRANULARITIES as readonly string[]).includes(value);
}

/** Candle length in milliseconds, or undefined for the calendar month. */
export function granularityMs(granularity: Granularity): number | undefined {
  const s = SECONDS[granularity];
  return s === undefined ? undefined : s * 1000;
}

/** True when the expected candle times of this granularity are knowable (gap detection works). */
export function hasUtcGrid(granularity: Granularity): boolean {
  return UTC_GRID.has(granularity);
}

/** Gap detection works for these; listed in error messages. */
export const GAP_GRANULARITIES: readonly Granularity[] = [...UTC_GRID];
