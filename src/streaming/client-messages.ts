import { INSTRUMENT_PATTERN } from '../platform/config';

/*
 * Validation of what Socket.IO clients send. Clients are untrusted and the
 * transport gives us arbitrary JSON, so every handler goes through these and
 * answers a bad payload with an `error` event naming the problem.
 *
 * The naming rule is the REST one (README "Data and conventions"): names are
 * matched exactly, nothing is case-folded or trimmed. Instruments are OANDA's
 * upper-case names (`EUR_USD`); the one keyword, `"all"`, is lower case.
 */

/** More names than any real subscription needs; bounds the work one message can cause. */
export const MAX_PAIRS_PER_REQUEST = 100;
/** How much of a client's input an error message echoes back. */
export const ECHO_LIMIT = 40;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export type InstrumentProblem = 'invalid_payload' | 'invalid_instrument' | 'unknown_instrument';

export interface PairSelection {
  /** Tracked instruments selected, de-duplicated, in request order. */
  accepted: string[];
  /** Names that are malformed or not tracked, as the client sent them (bounded). */
  rejected: string[];
  /** The subset of `rejected` that is not an OANDA name at all (wrong case, wrong shape, not a string). */
  malformed: string[];
}

/** At most ECHO_LIMIT characters of any client value, for messages and `rejected` lists. */
export function echo(value: unknown): string {
  const text = typeof value === 'string' ? value : String(safeJson(value));
  return text.length > ECHO_LIMIT ? `${text.slice(0, ECHO_LIMIT)}...` : text;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    // Cycles cannot arrive over the wire, but BigInt and friends can come from tests or future parsers.
    return typeof value;
  }
}

/** `{ pairs: string[] | "all" }` for subscribe / unsubscribe and the handshake's `auth.pairs`. */
export function parsePairSelection(
  payload: unknown,
  tracked: readonly string[],
): Parsed<PairSelection> {
  const pairs = (payload as { pairs?: unknown } | null | undefined)?.pairs;
  if (typeof payload !== 'object' || payload === null || pairs === undefined)
    return {
      ok: false,
      message: 'payload must be an object like {"pairs": ["EUR_USD"]} or {"pairs": "all"}',
    };
  if (pairs === 'all')
    return { ok: true, value: { accepted: [...tracked], rejected: [], malformed: [] } };
  if (typeof pairs === 'string' && pairs.toLowerCase() === 'all')
    return {
      ok: false,
      message: `pairs must be an array of instrument names or the keyword "all" in lower case (got "${echo(pairs)}")`,
    };
  if (!Array.isArray(pairs))
    return { ok: false, message: 'pairs must be an array of instrument names or "all"' };
  if (pairs.length > MAX_PAIRS_PER_REQUEST)
    return { ok: false, message: `pairs may hold at most ${MAX_PAIRS_PER_REQUEST} names` };
  const accepted = new Set<string>();
  const rejected: string[] = [];
  const malformed: string[] = [];
  for (const raw of pairs) {
    if (typeof raw === 'string' && tracked.includes(raw)) {
      accepted.add(raw);
      continue;
    }
    const shown = echo(raw);
    rejected.push(shown);
    if (typeof raw !== 'string' || !INSTRUMENT_PATTERN.test(raw)) malformed.push(shown);
  }
  return { ok: true, value: { accepted: [...accepted], rejected, malformed } };
}

/** `{ instrument: "EUR_USD" }` for request_price. */
export function parseInstrumentRequest(
  payload: unknown,
  tracked: readonly string[],
): { ok: true; instrument: string } | { ok: false; code: InstrumentProblem; message: string } {
  const raw = (payload as { instrument?: unknown } | null | undefined)?.instrument;
  if (typeof payload !== 'object' || payload === null || typeof raw !== 'string')
    return {
      ok: false,
      code: 'invalid_payload',
      message: 'payload must be an object like {"instrument": "EUR_USD"}',
    };
  if (!INSTRUMENT_PATTERN.test(raw))
    return {
      ok: false,
      code: 'invalid_instrument',
      message: `instrument must be an OANDA instrument name in upper case such as EUR_USD (got "${echo(raw)}")`,
    };
  if (!tracked.includes(raw))
    return {
      ok: false,
      code: 'unknown_instrument',
      message: `instrument ${raw} is not tracked`,
    };
  return { ok: true, instrument: raw };
}

/** A bounded, printable name for whatever a client used as an event name (a string, a number, ...). */
export function eventName(event: unknown): string {
  if (typeof event === 'string') return echo(event);
  if (typeof event === 'number') return String(event);
  return `<${event === null ? 'null' : typeof event}>`;
}
