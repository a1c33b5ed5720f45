import { familyOf, judgementOf, lineOf, thresholdsOf } from './alert-conditions';
import type { AlertRule } from './alert-rule.entity';
import type { IndexedRule } from './price-rule-index';

/** The price index's view of a stored rule, with the stored side as its starting state. */
export function indexedRuleOf(rule: AlertRule): IndexedRule {
  const judgement = judgementOf(rule.condition);
  const line = lineOf(rule.condition);
  const { up, down } = thresholdsOf(line, rule.hysteresis, judgement.target);
  return {
    id: rule.id,
    instrument: rule.instrument,
    component: rule.priceComponent,
    judgement,
    line,
    hysteresis: rule.hysteresis,
    up,
    down,
    policy: { frequency: rule.frequency, cooldownSeconds: rule.cooldownSeconds },
    expiresMs: rule.expiresAt ? rule.expiresAt.getTime() : null,
    side: rule.stateSide ?? 0,
    lastTriggeredMs: rule.lastTriggeredAt ? rule.lastTriggeredAt.getTime() : null,
  };
}

/** Whether a stored rule should be evaluated at all now. */
export function isLive(rule: AlertRule, nowMs: number): boolean {
  return rule.active && (rule.expiresAt === null || rule.expiresAt.getTime() > nowMs);
}

export const isPriceRule = (rule: AlertRule): boolean => familyOf(rule.conditionType) === 'price';
