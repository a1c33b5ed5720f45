import { granularityMs, hasUtcGrid, type Granularity } from '../platform/time';
import { DAY_MS } from '../platform/time';

/**
 * Open time of the first candle inside the stored-history window of `days`
 * ending at `now`: the first candle on the grid at or after `now - days`.
 *
 * Rounded UP, not down, because retention deletes every candle that opened
 * before `now - days`: the candle that opened just before the cutoff is never
 * kept, so nothing should fetch it and nothing should expect it. The initial
 * sync (where it starts fetching) and `candles:gaps` (where it starts
 * expecting candles) both use this one function, so a clean first fill has no
 * gap at the edge of its window.
 */
export function historyWindowStart(
  now: Date | number,
  days: number,
  granularity: Granularity,
): Date {
  const t = +now - days * DAY_MS;
  const step = granularityMs(granularity);
  if (step === undefined || !hasUtcGrid(granularity)) return new Date(t);
  return new Date(Math.ceil(t / step) * step);
}
