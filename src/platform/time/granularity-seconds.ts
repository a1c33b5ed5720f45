import type { Granularity } from './granularity';

/**
 * Nominal length of each granularity in seconds. D, W and M are calendar
 * periods; their values here (a day, a week, 31 days) are upper bounds,
 * which is what request sizing needs.
 */
export const GRANULARITY_SECONDS: Readonly<Record<Granularity, number>> = {
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
  M: 2_678_400,
};
