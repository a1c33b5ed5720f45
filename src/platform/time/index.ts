/** The public surface of platform/time: other folders import only what is exported here. */
export { DAY_MS, HOUR_MS } from './durations';
export { GRANULARITY_SECONDS } from './granularity-seconds';
export { GRANULARITIES, granularityMs, hasUtcGrid, isGranularity } from './granularity';
export type { Granularity } from './granularity';
export {
  firstPeriodAtOrAfter,
  isOpenAt,
  isOpenHour,
  lastOpenInstant,
  nextOpen,
  nextPeriodStart,
  periodHasTrading,
} from './market-calendar';
export { idleSleep, sleep } from './sleep';
export { withTimeout } from './timeout';
export {
  UnsupportedGranularityError,
  candleStart,
  countExpectedCandles,
  expectedCandleTimes,
  isMarketOpen,
  iterateCandleTimes,
  nextExpectedTime,
} from './trading-calendar';
export { addDays, weekdayOf, zonedParts, zonedTimeToUtc } from './zoned-time';
export type { CalendarDate } from './zoned-time';
