import { judgementOf, lineOf, shouldFire, sideOf, transition } from './alert-conditions';
import type { FireRequest } from './alert-firing.service';
import type { AlertRule } from './alert-rule.entity';
import type { SideWrite } from './alert-rules.store';

export interface BatchDecision {
  fires: FireRequest[];
  sides: SideWrite[];
}

/**
 * One job-time evaluation of stored rules (indicators after the hourly
 * metrics, correlations after the daily job): each rule's value against its
 * stored side, so a crossing between two runs is seen exactly once whichever
 * instance runs the job. Rules without a value (too little history) are left as they are.
 */
export function decideBatch(
  rules: ReadonlyArray<{ rule: AlertRule; value: number | null }>,
  now: Date,
): BatchDecision {
  const out: BatchDecision = { fires: [], sides: [] };
  for (const { rule, value } of rules) {
    if (value === null || !Number.isFinite(value)) continue;
    if (!rule.active || (rule.expiresAt && rule.expiresAt <= now)) continue;
    const judgement = judgementOf(rule.condition);
    const previous = rule.stateSide ?? 0;
    const t = transition(
      judgement,
      previous,
      sideOf(value, lineOf(rule.condition), rule.hysteresis, judgement.target),
    );
    const side = t.side === 0 ? null : t.side;
    const write = { id: rule.id, expectedVersion: rule.stateVersion, side, value };
    const policy = { frequency: rule.frequency, cooldownSeconds: rule.cooldownSeconds };
    if (shouldFire(policy, t.change, rule.lastTriggeredAt?.getTime() ?? null, now.getTime())) {
      out.fires.push({
        rule,
        value,
        at: now,
        write: { ...write, at: now, deactivate: rule.frequency === 'once' },
      });
    } else if (t.side !== previous) {
      out.sides.push(write);
    }
  }
  return out;
}
