import { DAY_MS } from '../platform/time';
/**
 * The day a correlation run stands for and the newest candle it may use.
 * `--as-of 2020-12-24` means "as the matrix stood at the end of that UTC day":
 * candles up to 2020-12-24T23:59:59.999Z, stored under date 2020-12-24.
 * Without it the run is as of now and stored under today's UTC date.
 */
export interface CalculationDay {
  /** 'YYYY-MM-DD' (UTC), the correlation_matrix / best_pairs_tracker `time`. */
  date: string;
  /** Inclusive upper bound on candle times. */
  cutoff: Date;
}

export function calculationDay(asOf: Date | undefined, now: Date = new Date()): CalculationDay {
  if (!asOf) return { date: now.toISOString().slice(0, 10), cutoff: now };
  if (Number.isNaN(asOf.getTime())) throw new RangeError('as-of is not a valid date');
  const dayStart = Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), asOf.getUTCDate());
  const date = new Date(dayStart).toISOString().slice(0, 10);
  const today = now.toISOString().slice(0, 10);
  if (date > today) throw new RangeError(`as-of ${date} is in the future (today is ${today} UTC)`);
  const endOfDay = new Date(dayStart + DAY_MS - 1);
  return { date, cutoff: endOfDay.getTime() < now.getTime() ? endOfDay : now };
}
