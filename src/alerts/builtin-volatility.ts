import type { Severity } from '../platform/pubsub';

export interface VolatilityAlertRules {
  /** volatility_20 / volatility_50 at or above this is a warning (default 1.5). */
  warningRatio: number;
  /** ... and at or above this critical (default 2). */
  criticalRatio: number;
  /** Optional absolute volatility_20 level for this instrument (VOLATILITY_ALERT_ABSOLUTE). */
  absolute?: number;
}

export interface VolatilityAlertDecision {
  severity: Severity;
  /** The value compared with `threshold`: the ratio for ratio alerts, volatility_20 for absolute ones. */
  value: number;
  threshold: number;
  kind: 'ratio' | 'absolute';
  message: string;
}

const pct = (v: number): string => `${(v * 100).toFixed(2)}%`;

// 0.15 / 0.1 is 1.4999999999999998 in floating point; a ratio that equals the threshold alerts.
const atLeast = (value: number, threshold: number): boolean => value >= threshold * (1 - 1e-12);

/**
 * DESIGN's volatility alert, decided for one candle: short-term volatility
 * running well above the longer-term one (ratio >= warning / >= critical) or
 * volatility_20 above the instrument's configured absolute level. One alert
 * at most, the most severe: a critical ratio first, then a warning ratio,
 * then the absolute level (a warning: it is a fixed line the operator drew,
 * not a measure of how unusual the move is).
 */
export function evaluateVolatilityAlert(
  instrument: string,
  volatility20: number | null,
  volatility50: number | null,
  rules: VolatilityAlertRules,
): VolatilityAlertDecision | null {
  if (volatility20 === null || !Number.isFinite(volatility20)) return null;
  if (volatility50 !== null && Number.isFinite(volatility50) && volatility50 > 0) {
    const ratio = volatility20 / volatility50;
    for (const [severity, threshold] of [
      ['critical', rules.criticalRatio],
      ['warning', rules.warningRatio],
    ] as const) {
      if (atLeast(ratio, threshold)) {
        return {
          severity,
          value: ratio,
          threshold,
          kind: 'ratio',
          message:
            `${instrument} volatility is ${ratio.toFixed(2)}x its 50-hour level ` +
            `(volatility_20 ${pct(volatility20)} vs volatility_50 ${pct(volatility50)}, ${severity} at ${threshold}x)`,
        };
      }
    }
  }
  if (rules.absolute !== undefined && atLeast(volatility20, rules.absolute)) {
    return {
      severity: 'warning',
      value: volatility20,
      threshold: rules.absolute,
      kind: 'absolute',
      message: `${instrument} volatility_20 is ${pct(volatility20)}, above the configured ${pct(rules.absolute)}`,
    };
  }
  return null;
}
