import {
  AlertTriggeredMessage,
  Channel,
  ChannelPayloads,
  CorrelationAlertEvent,
  DataReadyEvent,
  PriceUpdateEvent,
  VolatilityAlertEvent,
} from '../platform/pubsub';

/*
 * Minimal shape checks for messages read from Redis. Anyone with access to the
 * Redis can publish on our channels; a malformed message must be dropped and
 * logged, never forwarded to clients or allowed to throw inside the bridge.
 * Checks are deliberately shallow (field presence and primitive types) because
 * they run on every live tick.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isSeverity = (v: unknown): boolean => v === 'warning' || v === 'critical';
const DATA_TYPES = new Set(['candles', 'volatility', 'correlation', 'best_pairs']);

export function isPriceUpdate(v: unknown): v is PriceUpdateEvent {
  if (!isObj(v) || !isStr(v.instrument) || !isStr(v.timestamp) || !isObj(v.price)) return false;
  const p = v.price;
  return isNum(p.bid) && isNum(p.ask) && isNum(p.mid) && isStr(p.time);
}

export function isVolatilityAlert(v: unknown): v is VolatilityAlertEvent {
  return (
    isObj(v) &&
    isStr(v.instrument) &&
    isNum(v.volatility) &&
    isNum(v.threshold) &&
    isSeverity(v.severity) &&
    typeof v.message === 'string' &&
    isStr(v.timestamp)
  );
}

export function isCorrelationAlert(v: unknown): v is CorrelationAlertEvent {
  return (
    isObj(v) &&
    isStr(v.pair1) &&
    isStr(v.pair2) &&
    isNum(v.correlation) &&
    (v.previous === null || isNum(v.previous)) &&
    isNum(v.threshold) &&
    isSeverity(v.severity) &&
    typeof v.message === 'string' &&
    isStr(v.timestamp)
  );
}

export function isDataReady(v: unknown): v is DataReadyEvent {
  return isObj(v) && DATA_TYPES.has(v.data_type as string) && isNum(v.count) && isStr(v.timestamp);
}

export function isAlertTriggered(v: unknown): v is AlertTriggeredMessage {
  if (!isObj(v) || !Number.isSafeInteger(v.owner_key_id) || !isObj(v.event)) return false;
  const e = v.event;
  return (
    isStr(e.rule_id) &&
    isStr(e.instrument) &&
    isObj(e.condition) &&
    isStr(e.condition.type) &&
    isNum(e.value) &&
    typeof e.message === 'string' &&
    isStr(e.triggered_at)
  );
}

const GUARDS: { [C in Channel]: (v: unknown) => v is ChannelPayloads[C] } = {
  price_updates: isPriceUpdate,
  volatility_alerts: isVolatilityAlert,
  correlation_alerts: isCorrelationAlert,
  data_ready: isDataReady,
  alert_triggered: isAlertTriggered,
};

export type ParsedMessage<C extends Channel> =
  { ok: true; payload: ChannelPayloads[C] } | { ok: false; error: string };

/** JSON-parses and shape-checks one message of `channel`. */
export function parseChannelMessage<C extends Channel>(channel: C, raw: string): ParsedMessage<C> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return { ok: false, error: `not JSON (${(error as Error).message})` };
  }
  if (!GUARDS[channel](value)) return { ok: false, error: `not a valid ${channel} message` };
  return { ok: true, payload: value };
}
