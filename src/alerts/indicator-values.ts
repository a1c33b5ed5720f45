import type { Condition } from './alert-conditions';

/** The latest stored indicators of an instrument (the fields of a volatility_metrics row the rules read). */
export interface IndicatorSnapshot {
  /** Candle open time (ms) the metrics are for. */
  timeMs: number;
  rsi_14: number | null;
  macd: number | null;
  macd_signal: number | null;
  sma_15: number | null;
  sma_20: number | null;
  sma_30: number | null;
  sma_50: number | null;
  bb_upper: number | null;
  bb_lower: number | null;
  volatility_20: number | null;
  volatility_50: number | null;
}

/** Mid closes by candle time (ms), oldest first, ending with the snapshot's candle. */
export interface CloseSeries {
  times: ArrayLike<number>;
  close: ArrayLike<number>;
}

const diff = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || b === null || b === undefined ? null : a - b;

/** The close at the snapshot's candle, and the close `hours` earlier (the last candle at or before then). */
function closes(
  series: CloseSeries,
  atMs: number,
  hoursBack: number,
): { now: number | null; then: number | null } {
  let i = series.times.length - 1;
  while (i >= 0 && series.times[i] > atMs) i -= 1;
  if (i < 0 || series.times[i] !== atMs) return { now: null, then: null };
  const target = atMs - hoursBack * 3_600_000;
  let j = i;
  while (j >= 0 && series.times[j] > target) j -= 1;
  return { now: series.close[i], then: j >= 0 && hoursBack > 0 ? series.close[j] : null };
}

/**
 * The value an indicator condition compares with its line: RSI itself, MACD
 * minus its signal, close minus the SMA or the band, the volatility ratio,
 * or the percent change over `hours`. Null when the history is too short.
 */
export function indicatorValue(
  condition: Condition,
  metric: IndicatorSnapshot,
  series: CloseSeries,
): number | null {
  switch (condition.type) {
    case 'rsi_above':
    case 'rsi_below':
      return metric.rsi_14;
    case 'macd_cross_up':
    case 'macd_cross_down':
      return diff(metric.macd, metric.macd_signal);
    case 'volatility_ratio_above':
      return metric.volatility_20 !== null &&
        metric.volatility_50 !== null &&
        metric.volatility_50 > 0
        ? metric.volatility_20 / metric.volatility_50
        : null;
    case 'price_cross_sma': {
      const sma = metric[`sma_${condition.period}` as 'sma_20'];
      return diff(closes(series, metric.timeMs, 0).now, sma);
    }
    case 'bollinger_break': {
      const band = condition.band === 'lower' ? metric.bb_lower : metric.bb_upper;
      return diff(closes(series, metric.timeMs, 0).now, band);
    }
    case 'change_pct': {
      const { now, then } = closes(series, metric.timeMs, condition.hours ?? 1);
      return now === null || then === null || then === 0 ? null : (now / then - 1) * 100;
    }
    default:
      return null;
  }
}
