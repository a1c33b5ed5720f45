import { INSTRUMENT_PATTERN } from '../config/instruments';

/*
 * Validation of what Socket.IO clients send. Clients are untrusted and the
 * transport gives us arbitrary JSON, so every handler goes through these and
 * answers a bad payload with an `error` event naming the problem.
 */

/** More names than any real subscription needs; bounds the work one message can cause. */
export const MAX_PAIRS_PER_REQUEST = 100;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export interface PairSelection {
  /** Tracked instruments selected, de-duplicated, in request order. */
  accepted: string[];
  /** Names that are malformed or not tracked, as the client sent them. */
  rejected: string[];
}

const normalise = (name: string): string => name.trim().toUpperCase();

/** `{ pairs: string[] | "all" }` for subscribe / unsubscribe. */
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
  if (pairs === 'all') return { ok: true, value: { accepted: [...tracked], rejected: [] } };
  if (!Array.isArray(pairs))
    return { ok: false, message: 'pairs must be an array of instrument names or "all"' };
  if (pairs.length > MAX_PAIRS_PER_REQUEST)
    return { ok: false, message: `pairs may hold at most ${MAX_PAIRS_PER_REQUEST} names` };
  const accepted = new Set<string>();
  const rejected: string[] = [];
  for (const raw of pairs) {
    if (typeof raw !== 'string') {
      rejected.push(String(JSON.stringify(raw)).slice(0, 40));
      continue;
    }
    const name = normalise(raw);
    if (INSTRUMENT_PATTERN.test(name) && tracked.includes(name)) accepted.add(name);
    else rejected.push(raw.slice(0, 40));
  }
  return { ok: true, value: { accepted: [...accepted], rejected } };
}

export type InstrumentProblem = 'invalid_payload' | 'invalid_instrument' | 'unknown_instrument';

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
  const instrument = normalise(raw);
  if (!INSTRUMENT_PATTERN.test(instrument))
    return {
      ok: false,
      code: 'invalid_instrument',
      message: `instrument must look like EUR_USD (got "${raw.slice(0, 40)}")`,
    };
  if (!tracked.includes(instrument))
    return {
      ok: false,
      code: 'unknown_instrument',
      message: `instrument ${instrument} is not tracked`,
    };
  return { ok: true, instrument };
}
