/**
 * The alert conditions of DESIGN.md section 12 and the two decisions every
 * evaluator shares: which side of its line a value is on (with hysteresis)
 * and whether a rule fires now (frequency, cooldown, bar). Pure functions.
 */

export const PRICE_CONDITIONS = [
  'price_above',
  'price_below',
  'price_cross_above',
  'price_cross_below',
] as const;
export const INDICATOR_CONDITIONS = [
  'change_pct',
  'rsi_above',
  'rsi_below',
  'macd_cross_up',
  'macd_cross_down',
  'price_cross_sma',
  'bollinger_break',
  'volatility_ratio_above',
] as const;
export const CORRELATION_CONDITIONS = ['correlation_above', 'correlation_below'] as const;
export const CONDITION_TYPES = [
  ...PRICE_CONDITIONS,
  ...INDICATOR_CONDITIONS,
  ...CORRELATION_CONDITIONS,
] as const;
/**
 * Conditions only the built-in rules have (not accepted from REST): the
 * correlation alert of DESIGN.md section 6, a move of `change` since the
 * previous calculation or a crossing of +/-`level`, in every window.
 */
export const BUILTIN_CONDITIONS = ['correlation_move'] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number] | (typeof BUILTIN_CONDITIONS)[number];
export type ConditionFamily = 'price' | 'indicator' | 'correlation';

export const FREQUENCIES = ['once', 'once_per_bar', 'every_time'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export const PRICE_COMPONENTS = ['bid', 'ask', 'mid'] as const;
export type PriceComponent = (typeof PRICE_COMPONENTS)[number];
export const SMA_PERIODS = [15, 20, 30, 50] as const;

/** A condition as stored and sent: `type` plus the parameters its type takes. */
export interface Condition {
  type: ConditionType;
  level?: number;
  window?: number;
  period?: number;
  band?: 'upper' | 'lower';
  percent?: number;
  hours?: number;
  /** Built-in volatility rule: the ratio at which it is critical (`level` is the warning ratio). */
  critical?: number;
  /** Built-in volatility rule: the instrument's absolute volatility_20 line, if configured. */
  absolute?: number;
  /** Built-in correlation rule: the move since the previous calculation that alerts. */
  change?: number;
}

/** 1: at or past the line upwards; -1: downwards; 0: inside the hysteresis band (the side does not change). */
export type Side = -1 | 0 | 1;

/**
 * How a condition is judged: `level` holds while the value is on `target`'s
 * side (price_above, rsi_above, ...); `cross` holds only at the move onto it
 * (price_cross_above, macd_cross_up, ...). `any` crosses either way.
 */
export interface Judgement {
  kind: 'level' | 'cross';
  target: 1 | -1 | 'any';
}

export function familyOf(type: ConditionType): ConditionFamily {
  if ((PRICE_CONDITIONS as readonly string[]).includes(type)) return 'price';
  if ((CORRELATION_CONDITIONS as readonly string[]).includes(type) || type === 'correlation_move')
    return 'correlation';
  return 'indicator';
}

export function judgementOf(condition: Condition): Judgement {
  switch (condition.type) {
    case 'price_above':
    case 'rsi_above':
    case 'volatility_ratio_above':
    case 'correlation_above':
    case 'correlation_move':
      return { kind: 'level', target: 1 };
    case 'price_below':
    case 'rsi_below':
    case 'correlation_below':
      return { kind: 'level', target: -1 };
    case 'change_pct':
      // A rise of `percent` (>0) or a fall of it (<0): the value is the change itself.
      return { kind: 'level', target: (condition.percent ?? 0) >= 0 ? 1 : -1 };
    case 'bollinger_break':
      // The value is close - band: above the upper band is > 0, below the lower band is < 0.
      return { kind: 'level', target: condition.band === 'lower' ? -1 : 1 };
    case 'price_cross_above':
    case 'macd_cross_up':
      return { kind: 'cross', target: 1 };
    case 'price_cross_below':
    case 'macd_cross_down':
      return { kind: 'cross', target: -1 };
    case 'price_cross_sma':
      return { kind: 'cross', target: 'any' };
  }
}

/** The line a condition's value is compared with (macd/sma/bollinger values are differences, so 0). */
export function lineOf(condition: Condition): number {
  switch (condition.type) {
    case 'macd_cross_up':
    case 'macd_cross_down':
    case 'price_cross_sma':
    case 'bollinger_break':
      return 0;
    case 'change_pct':
      return condition.percent ?? 0;
    default:
      return condition.level ?? 0;
  }
}

/**
 * Which side of `line` a value is on. The hysteresis band lies on the side
 * AWAY from the target, so a rule fires exactly at its level (price_above
 * 1.095 fires at 1.0950) and re-arms only after the value went back past
 * line - hysteresis: hovering at the level cannot fire twice.
 */
export function sideOf(
  value: number,
  line: number,
  hysteresis: number,
  target: Judgement['target'],
): Side {
  if (target === 1) {
    if (value >= line) return 1;
    return (hysteresis > 0 ? value <= line - hysteresis : value < line) ? -1 : 0;
  }
  if (target === -1) {
    if (value <= line) return -1;
    return (hysteresis > 0 ? value >= line + hysteresis : value > line) ? 1 : 0;
  }
  if (value > line + hysteresis) return 1;
  if (value < line - hysteresis) return -1;
  return 0;
}

/** The values at which the side becomes 1 (`up`) or -1 (`down`): what the price level index sorts on. */
export function thresholdsOf(
  line: number,
  hysteresis: number,
  target: Judgement['target'],
): { up: number; down: number } {
  if (target === 1) return { up: line, down: line - hysteresis };
  if (target === -1) return { up: line + hysteresis, down: line };
  return { up: line + hysteresis, down: line - hysteresis };
}

/**
 * What happened to a rule at one evaluation: `enter` = it moved onto its
 * target side (for a level condition also the first evaluation that finds
 * it there), `stay` = a level condition still holding at a later evaluation,
 * `none` otherwise. Returns the new stored side too.
 */
export function transition(
  judgement: Judgement,
  previous: Side,
  current: Side,
): { side: Side; change: 'enter' | 'stay' | 'none' } {
  const side: Side = current === 0 ? previous : current;
  if (side === 0) return { side, change: 'none' };
  const onTarget = judgement.target === 'any' || side === judgement.target;
  if (!onTarget) return { side, change: 'none' };
  if (side !== previous) {
    // A crossing needs a known side before it; a level condition holds from the first look.
    if (judgement.kind === 'cross' && previous === 0) return { side, change: 'none' };
    return { side, change: 'enter' };
  }
  return { side, change: judgement.kind === 'level' ? 'stay' : 'none' };
}

export const BAR_MS = 3_600_000;
/** Start (ms) of the H1 bar containing `ms`. */
export const barOf = (ms: number): number => Math.floor(ms / BAR_MS) * BAR_MS;

export interface FiringPolicy {
  frequency: Frequency;
  cooldownSeconds: number;
}

/**
 * Whether a rule fires on this change. `once`: the first time it holds (the
 * rule then deactivates); `once_per_bar`: at most once per H1 bar, also
 * again in a later bar while a level condition still holds; `every_time`:
 * every time it starts to hold, at most once per `cooldown_seconds`.
 */
export function shouldFire(
  policy: FiringPolicy,
  change: 'enter' | 'stay' | 'none',
  lastTriggeredMs: number | null,
  nowMs: number,
): boolean {
  if (change === 'none') return false;
  switch (policy.frequency) {
    case 'once':
      return change === 'enter';
    case 'once_per_bar':
      return lastTriggeredMs === null || barOf(lastTriggeredMs) !== barOf(nowMs);
    case 'every_time':
      return (
        change === 'enter' &&
        (lastTriggeredMs === null || nowMs - lastTriggeredMs >= policy.cooldownSeconds * 1000)
      );
  }
}

const trim = (v: number): string => String(Number(v.toPrecision(10)));

/** The default message of a firing: what crossed what, in words. */
export function describeFiring(instrument: string, condition: Condition, value: number): string {
  const v = trim(value);
  switch (condition.type) {
    case 'price_above':
    case 'price_cross_above':
      return `${instrument} ${condition.type === 'price_above' ? 'is' : 'crossed'} above ${trim(condition.level ?? 0)} (${v})`;
    case 'price_below':
    case 'price_cross_below':
      return `${instrument} ${condition.type === 'price_below' ? 'is' : 'crossed'} below ${trim(condition.level ?? 0)} (${v})`;
    case 'rsi_above':
    case 'rsi_below':
      return `${instrument} RSI(14) ${v} is ${condition.type === 'rsi_above' ? 'above' : 'below'} ${trim(condition.level ?? 0)}`;
    case 'macd_cross_up':
    case 'macd_cross_down':
      return `${instrument} MACD crossed ${condition.type === 'macd_cross_up' ? 'above' : 'below'} its signal (histogram ${v})`;
    case 'price_cross_sma':
      return `${instrument} crossed its SMA(${condition.period}) (close - SMA ${v})`;
    case 'bollinger_break':
      return `${instrument} closed outside its ${condition.band} Bollinger band (by ${v})`;
    case 'volatility_ratio_above':
      return `${instrument} volatility_20 / volatility_50 is ${v}, above ${trim(condition.level ?? 0)}`;
    case 'change_pct':
      return `${instrument} moved ${v}% in ${condition.hours} h (threshold ${trim(condition.percent ?? 0)}%)`;
    case 'correlation_above':
    case 'correlation_below':
      return `${instrument} correlation (${condition.window}) is ${v}, ${condition.type === 'correlation_above' ? 'above' : 'below'} ${trim(condition.level ?? 0)}`;
    case 'correlation_move':
      return `${instrument} correlation moved to ${v}`;
  }
}

/** `{{instrument}}`, `{{value}}`, `{{condition}}`, `{{level}}` in a user's template; unknown names stay as written. */
export function renderMessage(
  template: string | null,
  fields: { instrument: string; value: number; condition: Condition; fallback: string },
): string {
  if (!template) return fields.fallback;
  const values: Record<string, string> = {
    instrument: fields.instrument,
    value: trim(fields.value),
    condition: fields.condition.type,
    level: fields.condition.level === undefined ? '' : trim(fields.condition.level),
  };
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (all, name: string) => values[name] ?? all);
}
