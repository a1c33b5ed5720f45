import { parseIsoTime } from '../platform/validation';
import { quoted } from '../platform/validation';
import {
  type Condition,
  type ConditionType,
  familyOf,
  type Frequency,
  type PriceComponent,
  SMA_PERIODS,
} from './alert-conditions';

/** A rule's definition as a request describes it, after DTO validation (types are right, combinations unchecked). */
export interface RuleInput {
  instrument?: string;
  instruments?: string[];
  condition?: Condition;
  price?: PriceComponent;
  frequency?: Frequency;
  cooldown_seconds?: number;
  hysteresis?: number;
  expires_at?: string | null;
  webhook_url?: string | null;
  message?: string | null;
  active?: boolean;
}

export interface RuleDefinition {
  instrument: string;
  instrument2: string | null;
  condition: Condition;
  priceComponent: PriceComponent;
  frequency: Frequency;
  cooldownSeconds: number;
  hysteresis: number;
  expiresAt: Date | null;
  webhookUrl: string | null;
  message: string | null;
  active: boolean;
}

export interface InputContext {
  isTracked(instrument: string): boolean;
  correlationWindows: readonly number[];
  /** One pip of an instrument (the default price hysteresis). */
  pipOf(instrument: string): number;
  nowMs: number;
}

/** Which parameters each condition type takes; anything else in `condition` is refused by name. */
const PARAMETERS: Record<ConditionType, ReadonlyArray<keyof Condition>> = {
  price_above: ['level'],
  price_below: ['level'],
  price_cross_above: ['level'],
  price_cross_below: ['level'],
  change_pct: ['percent', 'hours'],
  rsi_above: ['level'],
  rsi_below: ['level'],
  macd_cross_up: [],
  macd_cross_down: [],
  price_cross_sma: ['period'],
  bollinger_break: ['band'],
  volatility_ratio_above: ['level'],
  correlation_above: ['level', 'window'],
  correlation_below: ['level', 'window'],
  // Built-in only: the body's condition.type check refuses it before this table is read.
  correlation_move: [],
};

/** Checks one condition's parameters for its type; messages name `condition.<field>`. */
function conditionProblems(c: Condition, windows: readonly number[]): string[] {
  const problems: string[] = [];
  const allowed = PARAMETERS[c.type];
  for (const key of Object.keys(c) as Array<keyof Condition>) {
    if (key !== 'type' && !allowed.includes(key) && c[key] !== undefined)
      problems.push(
        `condition.${key} is not a parameter of ${c.type} (it takes: ${allowed.join(', ') || 'none'})`,
      );
  }
  // null is missing too: a JSON NaN (a form's Number('abc')) arrives as null and must not become 0.
  for (const key of allowed)
    if (c[key] === undefined || c[key] === null)
      problems.push(`condition.${key} is required for ${c.type}`);
  if (problems.length) return problems;
  const level = c.level ?? 0;
  if (c.type.startsWith('price_') && c.type !== 'price_cross_sma' && level <= 0)
    problems.push('condition.level must be a price above 0');
  if (c.type.startsWith('rsi_') && (level < 0 || level > 100))
    problems.push('condition.level must be from 0 to 100');
  if (c.type === 'volatility_ratio_above' && level <= 0)
    problems.push('condition.level must be above 0');
  if (c.type.startsWith('correlation_')) {
    if (level < -1 || level > 1) problems.push('condition.level must be from -1 to 1');
    if (!windows.includes(c.window ?? -1))
      problems.push(
        `condition.window must be one of the calculated windows: ${windows.join(', ')}`,
      );
  }
  if (c.type === 'price_cross_sma' && !(SMA_PERIODS as readonly number[]).includes(c.period ?? -1))
    problems.push(`condition.period must be one of: ${SMA_PERIODS.join(', ')}`);
  if (c.type === 'change_pct') {
    if (c.percent === 0 || Math.abs(c.percent ?? 0) > 100)
      problems.push('condition.percent must be non-zero, from -100 to 100');
    if ((c.hours ?? 0) < 1 || (c.hours ?? 0) > 720)
      problems.push('condition.hours must be from 1 to 720');
  }
  return problems;
}

/**
 * The full definition of a rule from a request (and, for PATCH, the stored
 * rule under it), or every problem, each naming its field.
 */
export function resolveRule(
  input: RuleInput,
  base: RuleDefinition | null,
  ctx: InputContext,
): { ok: true; rule: RuleDefinition } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const condition = input.condition ? { ...input.condition } : base?.condition;
  if (!condition)
    return {
      ok: false,
      problems: ['condition is required, like {"type": "price_cross_above", "level": 1.095}'],
    };
  for (const key of Object.keys(condition) as Array<keyof Condition>)
    if (condition[key] === undefined) delete condition[key];
  problems.push(...conditionProblems(condition, ctx.correlationWindows));
  const family = familyOf(condition.type);
  let instrument = input.instrument ?? base?.instrument;
  let instrument2 = base?.instrument2 ?? null;
  if (family === 'correlation') {
    if (input.instrument !== undefined)
      problems.push('instrument: a correlation rule names "instruments": [pair1, pair2]');
    if (input.instruments) [instrument, instrument2] = input.instruments;
    if (!instrument || !instrument2)
      problems.push('instruments is required for correlation rules (two instruments)');
    else if (instrument === instrument2)
      problems.push('instruments must name two different instruments');
    else if (instrument > instrument2) [instrument, instrument2] = [instrument2, instrument];
  } else {
    if (input.instruments !== undefined)
      problems.push(
        `instruments is only for correlation rules; ${condition.type} takes "instrument"`,
      );
    instrument2 = null;
    if (!instrument) problems.push('instrument is required');
  }
  for (const [field, name] of [
    ['instrument', instrument],
    ['instruments', instrument2],
  ] as const) {
    if (name && !ctx.isTracked(name))
      problems.push(`${field}: ${quoted(name)} is not tracked by this service`);
  }
  let expiresAt = base?.expiresAt ?? null;
  if (input.expires_at !== undefined) {
    const parsed = input.expires_at === null ? null : parseIsoTime(input.expires_at);
    if (parsed && !parsed.ok) problems.push(`expires_at ${parsed.reason}`);
    else expiresAt = parsed ? parsed.value : null;
    if (expiresAt && expiresAt.getTime() <= ctx.nowMs)
      problems.push('expires_at must be in the future');
  }
  if (problems.length) return { ok: false, problems };
  const conditionChanged =
    input.condition !== undefined ||
    input.instrument !== undefined ||
    input.instruments !== undefined;
  const defaultHysteresis =
    family === 'price' ? ctx.pipOf(instrument!) : family === 'correlation' ? 0.02 : 0;
  const hysteresis =
    input.hysteresis ?? (conditionChanged || !base ? defaultHysteresis : base.hysteresis);
  return {
    ok: true,
    rule: {
      instrument: instrument!,
      instrument2,
      condition,
      priceComponent: input.price ?? base?.priceComponent ?? 'mid',
      frequency: input.frequency ?? base?.frequency ?? 'once_per_bar',
      cooldownSeconds: input.cooldown_seconds ?? base?.cooldownSeconds ?? 0,
      hysteresis,
      expiresAt,
      webhookUrl: input.webhook_url === undefined ? (base?.webhookUrl ?? null) : input.webhook_url,
      message: input.message === undefined ? (base?.message ?? null) : input.message,
      active: input.active ?? base?.active ?? true,
    },
  };
}
