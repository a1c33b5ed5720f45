import { InstrumentListError, parseInstrumentList } from '../config/instruments';
import { GRANULARITIES, isGranularity, type Granularity } from './granularity';
import { parseUtcTime } from './utc-time';

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
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
    throw new CliOptionError(
      `--${name} must be a whole number from ${min} to ${max}, got "${raw}"`,
    );
  return n;
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
      `--granularity: unknown granularity "${g}"; one of ${GRANULARITIES.join(', ')}`,
    );
  return g;
}

function time(raw: string | undefined, name: string): Date | undefined {
  if (raw === undefined) return undefined;
  const t = parseUtcTime(raw);
  if (!t)
    throw new CliOptionError(
      `--${name}: "${raw}" is not an ISO-8601 date or time (e.g. 2026-03-04 or 2026-03-04T10:00Z)`,
    );
  return t;
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
