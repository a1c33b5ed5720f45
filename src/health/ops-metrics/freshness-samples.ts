import type { FreshnessReport } from '../data-freshness';

export interface FreshnessSample {
  instrument: string;
  /** Lag behind the newest candle the market should have produced; +Inf when there is none at all. */
  lagSeconds: number;
  /** Open time of the newest complete candle, Unix seconds; null when there is none. */
  lastCandleSeconds: number | null;
}

/**
 * The freshness report as gauge values. A missing instrument is +Inf rather
 * than absent so that `data_freshness_seconds > 7200` fires for it too
 * (an absent series would silently satisfy no comparison at all).
 */
export function freshnessSamples(report: FreshnessReport): FreshnessSample[] {
  return report.instruments.map((i) => ({
    instrument: i.instrument,
    lagSeconds: i.lag_seconds ?? Number.POSITIVE_INFINITY,
    lastCandleSeconds:
      i.last_complete_candle === null ? null : Date.parse(i.last_complete_candle) / 1000,
  }));
}
