import type { AppConfig } from '../platform/config';
import type { Condition, Frequency } from './alert-conditions';

/**
 * The owner of the built-in rules. API keys have positive ids and 0 is the
 * single owner of AUTH_MODE=off, so no caller ever owns these: a key's
 * `/alerts/{id}` answers 404 for them, and they count against no key's
 * ALERT_RULES_PER_KEY.
 */
export const SYSTEM_OWNER = -1;

export type BuiltinKind = 'volatility' | 'correlation';

/** The settings the built-in alerts read (AppConfig's `analytics` and the tracked instruments). */
export type BuiltinSettings = { instruments: readonly string[] } & Pick<
  AppConfig['analytics'],
  | 'volatilityWarningRatio'
  | 'volatilityCriticalRatio'
  | 'volatilityAbsolute'
  | 'correlationAlertChange'
  | 'correlationAlertLevel'
  | 'correlationAlertHysteresis'
  | 'correlationAlertCooldownHours'
>;

export interface BuiltinDefinition {
  builtin: string;
  kind: BuiltinKind;
  instrument: string;
  instrument2: string | null;
  condition: Condition;
  frequency: Frequency;
  cooldownSeconds: number;
  hysteresis: number;
}

export const builtinKindOf = (builtin: string): BuiltinKind =>
  builtin.startsWith('correlation:') ? 'correlation' : 'volatility';

/**
 * The built-in rules the settings define: per tracked instrument a volatility
 * rule (`volatility_ratio_above` at VOLATILITY_ALERT_WARNING_RATIO, critical at
 * VOLATILITY_ALERT_CRITICAL_RATIO, plus the instrument's
 * VOLATILITY_ALERT_ABSOLUTE line if one is set), judged once per new candle;
 * per unordered pair (pair1 < pair2) a correlation rule (a move of
 * CORRELATION_ALERT_CHANGE or a crossing of +/-CORRELATION_ALERT_LEVEL by
 * CORRELATION_ALERT_HYSTERESIS, in every window), at most once per
 * CORRELATION_ALERT_COOLDOWN_HOURS on the calculation days' clock.
 */
export function builtinDefinitions(settings: BuiltinSettings): BuiltinDefinition[] {
  const instruments = [...new Set(settings.instruments)].sort();
  const out: BuiltinDefinition[] = [];
  for (const instrument of instruments) {
    const absolute = settings.volatilityAbsolute.get(instrument);
    out.push({
      builtin: `volatility:${instrument}`,
      kind: 'volatility',
      instrument,
      instrument2: null,
      condition: {
        type: 'volatility_ratio_above',
        level: settings.volatilityWarningRatio,
        critical: settings.volatilityCriticalRatio,
        ...(absolute === undefined ? {} : { absolute }),
      },
      frequency: 'once_per_bar',
      cooldownSeconds: 0,
      hysteresis: 0,
    });
  }
  for (let i = 0; i < instruments.length; i += 1) {
    for (let j = i + 1; j < instruments.length; j += 1) {
      out.push({
        builtin: `correlation:${instruments[i]}|${instruments[j]}`,
        kind: 'correlation',
        instrument: instruments[i],
        instrument2: instruments[j],
        condition: {
          type: 'correlation_move',
          level: settings.correlationAlertLevel,
          change: settings.correlationAlertChange,
        },
        frequency: 'every_time',
        cooldownSeconds: Math.round(settings.correlationAlertCooldownHours * 3600),
        hysteresis: settings.correlationAlertHysteresis,
      });
    }
  }
  return out;
}
