/**
 * The built-in correlation alert's decision (DESIGN.md section 6), one pair
 * and window at a time; the alerts engine's built-in correlation rules apply it.
 */
import type { Severity } from '../platform/pubsub';

export interface CorrelationAlertRules {
  /** A move of at least this much since the previous calculation alerts (default 0.2). */
  change: number;
  /** Crossing +level or -level alerts (default 0.7). */
  level: number;
  /**
   * A crossing counts only when the value passes the level by this margin
   * (default 0.02): up through 0.7 means from <= 0.68 to >= 0.72.
   */
  hysteresis: number;
}

/**
 * The last stored values (before this calculation) that were clearly on one
 * side of each line, i.e. outside its hysteresis band. A crossing is judged
 * against these, not against the previous value alone: 0.69 -> 0.71 -> 0.73
 * crosses 0.7 once (on the second step), and 0.71 <-> 0.72 never does.
 * null: no such value stored; the previous value stands in when it is itself
 * outside the band.
 */
export interface CrossingReference {
  /** Last value with |v - level| >= hysteresis. */
  upper: number | null;
  /** Last value with |v + level| >= hysteresis. */
  lower: number | null;
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

type Side = 'above' | 'below' | null;

/** Which side of `line` a value is on, or null inside the band line +/- hysteresis. */
export function sideOf(value: number, line: number, hysteresis: number): Side {
  if (value + EPS >= line + hysteresis) return 'above';
  if (value - EPS <= line - hysteresis) return 'below';
  return null;
}

/**
 * Fewest decimals (at least `min`, at most `max`) that print two different
 * numbers differently, so "moved from 0.70 to 0.70" cannot happen.
 */
export function distinctDecimals(a: number, b: number, min = 2, max = 6): number {
  for (let d = min; d < max; d += 1) if (fixed(a, d) !== fixed(b, d)) return d;
  return max;
}

/** toFixed without "-0.00". */
const fixed = (value: number, decimals: number): string => {
  const text = value.toFixed(decimals);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
};

/**
 * DESIGN's correlation alert for one pair and window: the correlation moved
 * by >= `change` since the previous calculation, or crossed +level / -level
 * by at least the hysteresis margin. Severity:
 * - critical when the pair ENTERED the strong zone (crossed up through
 *   +level or down through -level: a hedge or an overlap appeared) or moved
 *   by at least twice `change`;
 * - warning otherwise (a large move, or leaving the strong zone: a hedge that
 *   stops working is worth knowing, but no new exposure appeared).
 */
export function evaluateCorrelationAlert(
  label: string,
  current: number,
  previous: number | null,
  rules: CorrelationAlertRules,
  reference: CrossingReference = { upper: null, lower: null },
): CorrelationAlertDecision | null {
  if (previous === null || !Number.isFinite(previous) || !Number.isFinite(current)) return null;
  const { level, hysteresis: h } = rules;
  const moved = Math.abs(current - previous);
  const crossed = (line: number, stored: number | null): Side => {
    const before = sideOf(stored ?? previous, line, h);
    const now = sideOf(current, line, h);
    return before !== null && now !== null && before !== now ? now : null;
  };
  const upper = crossed(level, reference.upper);
  const lower = crossed(-level, reference.lower);
  const bigMove = moved + EPS >= rules.change;
  if (!upper && !lower && !bigMove) return null;
  const entered = upper === 'above' || lower === 'below';
  const severity: Severity = entered || moved + EPS >= 2 * rules.change ? 'critical' : 'warning';
  const line = upper ? level : lower ? -level : null;
  const d = distinctDecimals(previous, current);
  const from = `moved from ${fixed(previous, d)} to ${fixed(current, d)}`;
  return {
    severity,
    threshold: line ?? rules.change,
    kind: line === null ? 'change' : 'cross',
    message:
      line === null
        ? `${label} correlation ${from} (change ${fixed(moved, d)} >= ${rules.change})`
        : `${label} correlation ${from}, crossing ${fixed(line, 2)} (by more than ${h})`,
  };
}

/**
 * Cooldown between two alerts of one pair, on the clock of the calculations
 * (ms): suppressed when the last alert is at most `cooldownMs` older and not
 * newer than this one (an older day rebuilt later is never blocked by a newer one).
 */
export function inCooldown(lastAlertMs: number | null, nowMs: number, cooldownMs: number): boolean {
  if (lastAlertMs === null || cooldownMs <= 0) return false;
  const since = nowMs - lastAlertMs;
  return since >= 0 && since < cooldownMs;
}

const SEVERITY_RANK: Record<Severity, number> = { warning: 1, critical: 2 };

/**
 * One alert per pair per run: of a pair's decisions (one per window), the
 * most severe, the first (smallest window) on a tie. Input order is kept.
 */
export function onePerPair<
  T extends { pair1: string; pair2: string; decision: CorrelationAlertDecision },
>(candidates: readonly T[]): T[] {
  const best = new Map<string, T>();
  for (const c of candidates) {
    const key = `${c.pair1}|${c.pair2}`;
    const kept = best.get(key);
    if (!kept || SEVERITY_RANK[c.decision.severity] > SEVERITY_RANK[kept.decision.severity])
      best.set(key, c);
  }
  const chosen = new Set(best.values());
  return candidates.filter((c) => chosen.has(c));
}
