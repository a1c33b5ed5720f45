import type { CorrelationAlertEvent, Severity, VolatilityAlertEvent } from '../platform/pubsub';
import type { AlertRule } from './alert-rule.entity';
import {
  evaluateCorrelationAlert,
  inCooldown,
  onePerPair,
  type CorrelationAlertDecision,
  type CrossingReference,
} from './builtin-correlation';
import { evaluateVolatilityAlert } from './builtin-volatility';

/**
 * What the built-in rules decide, as pure functions over a rule and the rows
 * it has not judged yet. A rule judges a source row once: its watermark is
 * the id of the newest row it judged, so a rerun of a job, a restart or a
 * second instance never raises the same alert twice, and a row stored while
 * the alerts step did not run (a crash between two steps) is judged by the
 * next run instead of being missed.
 */

export type BuiltinRule = Pick<
  AlertRule,
  | 'id'
  | 'instrument'
  | 'instrument2'
  | 'condition'
  | 'hysteresis'
  | 'cooldownSeconds'
  | 'stateVersion'
  | 'stateWatermark'
  | 'stateClock'
>;

export type BuiltinBroadcast =
  | { channel: 'volatility_alerts'; payload: VolatilityAlertEvent }
  | { channel: 'correlation_alerts'; payload: CorrelationAlertEvent };

/** A judged rule: `fire` when it alerts; `watermark` is the newest row judged either way. */
export interface BuiltinJudgement<R extends BuiltinRule = BuiltinRule> {
  rule: R;
  watermark: number;
  fire: {
    value: number;
    severity: Severity;
    /** The data time the alert is about (the candle; the calculation day). */
    clock: Date;
    broadcast: BuiltinBroadcast;
  } | null;
}

/** The newest metrics row of an instrument (the fields the volatility rule reads). */
export interface MetricRow {
  id: number;
  time: Date;
  volatility20: number | null;
  volatility50: number | null;
}

/**
 * The volatility rule on the instrument's newest metrics row, if it has not
 * judged that row yet: DESIGN's volatility alert (ratio warning / critical,
 * else the absolute line), so at most one alert per new candle. Null when
 * there is nothing new to judge.
 */
export function judgeVolatility<R extends BuiltinRule>(
  rule: R,
  row: MetricRow | undefined,
  now: Date,
): BuiltinJudgement<R> | null {
  if (!row || row.id <= (rule.stateWatermark ?? 0)) return null;
  const { level, critical, absolute } = rule.condition;
  const decision = evaluateVolatilityAlert(rule.instrument, row.volatility20, row.volatility50, {
    warningRatio: level ?? Number.POSITIVE_INFINITY,
    criticalRatio: critical ?? Number.POSITIVE_INFINITY,
    absolute,
  });
  if (!decision || row.volatility20 === null) return { rule, watermark: row.id, fire: null };
  return {
    rule,
    watermark: row.id,
    fire: {
      value: decision.value,
      severity: decision.severity,
      clock: row.time,
      broadcast: {
        channel: 'volatility_alerts',
        payload: {
          instrument: rule.instrument,
          volatility: row.volatility20,
          threshold: decision.threshold,
          severity: decision.severity,
          message: `${decision.message} at ${row.time.toISOString()}`,
          timestamp: now.toISOString(),
        },
      },
    },
  };
}

/** One stored correlation of the rule's pair on the newest calculation day of its window. */
export interface CorrelationCandidate {
  id: number;
  window: number;
  /** Calculation day, YYYY-MM-DD. */
  date: string;
  correlation: number | null;
  /** The previous calculation of the pair and window (null: none stored). */
  previous: { correlation: number; date: string } | null;
  reference?: CrossingReference;
}

const dayClock = (date: string): Date => new Date(`${date}T00:00:00Z`);

/**
 * The correlation rule on its pair's rows it has not judged yet (one per
 * window): DESIGN's correlation alert per window, then the most severe of
 * them (the smallest window on a tie), and nothing while the pair is in its
 * cooldown, measured on the calculation days' clock (a run a few seconds
 * earlier than yesterday's is still a day later; a rebuilt older day is never
 * blocked by a newer one). Null when there is nothing new to judge.
 */
export function judgeCorrelation<R extends BuiltinRule>(
  rule: R,
  rows: readonly CorrelationCandidate[],
  now: Date,
): BuiltinJudgement<R> | null {
  const fresh = rows
    .filter((r) => r.id > (rule.stateWatermark ?? 0))
    .sort((a, b) => a.window - b.window);
  if (fresh.length === 0) return null;
  const watermark = Math.max(...fresh.map((r) => r.id));
  const { level, change } = rule.condition;
  const pair1 = rule.instrument;
  const pair2 = rule.instrument2 ?? '';
  const decided: Array<{
    pair1: string;
    pair2: string;
    row: CorrelationCandidate & { correlation: number };
    prev: { correlation: number; date: string };
    decision: CorrelationAlertDecision;
  }> = [];
  for (const row of fresh) {
    if (row.correlation === null || row.previous === null) continue;
    const decision = evaluateCorrelationAlert(
      `${pair1}/${pair2} (${row.window} h window)`,
      row.correlation,
      row.previous.correlation,
      {
        change: change ?? Number.POSITIVE_INFINITY,
        level: level ?? 1,
        hysteresis: rule.hysteresis,
      },
      row.reference,
    );
    if (decision)
      decided.push({
        pair1,
        pair2,
        row: { ...row, correlation: row.correlation },
        prev: row.previous,
        decision,
      });
  }
  const [chosen] = onePerPair(decided);
  if (!chosen) return { rule, watermark, fire: null };
  const clock = dayClock(chosen.row.date);
  if (inCooldown(rule.stateClock?.getTime() ?? null, clock.getTime(), rule.cooldownSeconds * 1000))
    return { rule, watermark, fire: null };
  return {
    rule,
    watermark,
    fire: {
      value: chosen.row.correlation,
      severity: chosen.decision.severity,
      clock,
      broadcast: {
        channel: 'correlation_alerts',
        payload: {
          pair1,
          pair2,
          correlation: chosen.row.correlation,
          previous: chosen.prev.correlation,
          threshold: chosen.decision.threshold,
          severity: chosen.decision.severity,
          message: `${chosen.decision.message} (${chosen.prev.date} -> ${chosen.row.date})`,
          timestamp: now.toISOString(),
        },
      },
    },
  };
}
