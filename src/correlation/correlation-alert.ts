import type { Severity } from '../streaming/events';
import { formatR } from '../best-pairs/categorise';

export interface CorrelationAlertRules {
  /** A move of at least this much since the previous calculation alerts (default 0.2). */
  change: number;
  /** Crossing +level or -level alerts (default 0.7). */
  level: number;
}

export interface CorrelationAlertDecision {
  severity: Severity;
  /** The line that was crossed (+/-level) or, for a plain move, the change threshold. */
  threshold: number;
  kind: 'cross' | 'change';
  message: string;
}

// Correlations come from floating-point sums; a move of 0.2 computed as 0.19999999999999998 is still 0.2.
const EPS = 1e-12;

/**
 * DESIGN's correlation alert for one pair and window: the correlation moved
 * by >= `change` since the previous calculation, or crossed +level / -level
 * (either way). Severity:
 * - critical when the pair ENTERED the strong zone (|r| went from below the
 *   level to at or above it: a hedge or an overlap appeared) or moved by at
 *   least twice `change`;
 * - warning otherwise (a large move, or leaving the strong zone: a hedge that
 *   stops working is worth knowing, but no new exposure appeared).
 */
export function evaluateCorrelationAlert(
  label: string,
  current: number,
  previous: number | null,
  rules: CorrelationAlertRules,
): CorrelationAlertDecision | null {
  if (previous === null || !Number.isFinite(previous) || !Number.isFinite(current)) return null;
  const moved = Math.abs(current - previous);
  const crossedUp = previous < rules.level !== current < rules.level;
  const crossedDown = previous > -rules.level !== current > -rules.level;
  const bigMove = moved + EPS >= rules.change;
  if (!crossedUp && !crossedDown && !bigMove) return null;
  const entered = Math.abs(previous) < rules.level && Math.abs(current) >= rules.level;
  const severity: Severity = entered || moved + EPS >= 2 * rules.change ? 'critical' : 'warning';
  const line = crossedUp ? rules.level : crossedDown ? -rules.level : null;
  const from = `moved from ${formatR(previous)} to ${formatR(current)}`;
  return {
    severity,
    threshold: line ?? rules.change,
    kind: line === null ? 'change' : 'cross',
    message:
      line === null
        ? `${label} correlation ${from} (change ${moved.toFixed(2)} >= ${rules.change})`
        : `${label} correlation ${from}, crossing ${formatR(line)}`,
  };
}
