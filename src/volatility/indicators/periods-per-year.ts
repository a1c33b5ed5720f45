/**
 * Bars per year used to annualise volatility. HV_PERIODS_PER_YEAR (default
 * 6240 = 24 h x 5 days x 52 weeks) is the number of H1 bars in a trading year;
 * other granularities scale from it by their length in trading time: intraday
 * bars by seconds, D/W/M by the trading hours they span (24, 120, 520), so
 * D gives 260, W 52 and M 12 with the default.
 */
const TRADING_HOURS: Readonly<Record<string, number>> = {
  S5: 5 / 3600,
  S10: 10 / 3600,
  S15: 15 / 3600,
  S30: 30 / 3600,
  M1: 1 / 60,
  M2: 2 / 60,
  M4: 4 / 60,
  M5: 5 / 60,
  M10: 10 / 60,
  M15: 15 / 60,
  M30: 30 / 60,
  H1: 1,
  H2: 2,
  H3: 3,
  H4: 4,
  H6: 6,
  H8: 8,
  H12: 12,
  D: 24,
  W: 120,
  M: 520,
};

export function periodsPerYear(granularity: string, hourlyPeriodsPerYear: number): number {
  const hours = TRADING_HOURS[granularity];
  if (hours === undefined) throw new RangeError(`unknown granularity ${granularity}`);
  return hourlyPeriodsPerYear / hours;
}
