import { InstrumentListError, parseInstrumentList } from '../platform/config';
import { parseIsoTime, parseStrictInt, quoted } from '../platform/validation';
import { GRANULARITIES, isGranularity, type Granularity } from '../platform/time';

/** A bad command-line option; the message names the option and what is wrong. */
export class CliOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliOptionError';
  }
}

/** Raw strings as nest-commander hands them over. */
export interface RawCandleCliOptions {
  days?: string;
  instruments?: string;
  granularity?: string;
  from?: string;
  to?: string;
  concurrency?: string;
  timeout?: string;
  withMetrics?: boolean;
}

export interface CandleCliOptions {
  instruments: string[];
  granularity: Granularity;
  days: number;
  from?: Date;
  to?: Date;
  concurrency: number;
  timeoutSeconds?: number;
  withMetrics: boolean;
}

function integer(
  raw: string | undefined,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (raw === undefined) return fallback;
  const n = parseStrictInt(raw, { min, max });
  if (!n.ok) throw new CliOptionError(`--${name} ${n.reason}`);
  return n.value;
}

function instrumentList(raw: string | undefined, tracked: readonly string[]): string[] {
  if (raw === undefined) return [...tracked];
  try {
    return parseInstrumentList(raw, tracked);
  } catch (error) {
    if (error instanceof InstrumentListError) throw new CliOptionError(error.message);
    throw error;
  }
}

export function parseGranularity(raw: string | undefined): Granularity {
  const g = raw ?? 'H1';
  if (!isGranularity(g))
    throw new CliOptionError(
      `--granularity: unknown granularity ${quoted(g)}; one of ${GRANULARITIES.join(', ')}`,
    );
  return g;
}

function time(raw: string | undefined, name: string): Date | undefined {
  if (raw === undefined) return undefined;
  const t = parseIsoTime(raw);
  if (!t.ok) throw new CliOptionError(`--${name} ${t.reason}`);
  return t.value;
}

/**
 * Validates backfill / candles:gaps options (pure, so every message is
 * unit-tested). `now` bounds --from: nothing exists in the future.
 */
export function parseCandleCliOptions(
  raw: RawCandleCliOptions,
  ctx: { tracked: readonly string[]; now: Date; defaultDays?: number },
): CandleCliOptions {
  const from = time(raw.from, 'from');
  const to = time(raw.to, 'to');
  if ((from === undefined) !== (to === undefined))
    throw new CliOptionError('--from and --to go together: give both or neither');
  if (from && to) {
    if (raw.days !== undefined)
      throw new CliOptionError('--days cannot be combined with --from/--to');
    if (from >= to)
      throw new CliOptionError(
        `--from (${from.toISOString()}) must be before --to (${to.toISOString()})`,
      );
    if (from > ctx.now) throw new CliOptionError(`--from (${from.toISOString()}) is in the future`);
  }
  return {
    instruments: instrumentList(raw.instruments, ctx.tracked),
    granularity: parseGranularity(raw.granularity),
    days: integer(raw.days, 'days', 1, 3650, ctx.defaultDays ?? 365),
    from,
    to,
    concurrency: integer(raw.concurrency, 'concurrency', 1, 16, 4),
    timeoutSeconds:
      raw.timeout === undefined ? undefined : integer(raw.timeout, 'timeout', 1, 7 * 86400, 0),
    withMetrics: raw.withMetrics === true,
  };
}
