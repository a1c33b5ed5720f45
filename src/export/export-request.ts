import { InstrumentListError, parseInstrumentList } from '../platform/config';
import { parseEnum, parseIsoTime, parseStrictInt } from '../platform/validation';
import { GRANULARITIES, type Granularity } from '../platform/time';

/**
 * What an export asks for, parsed the same way for REST query parameters and
 * CLI options (pure, so every message is unit-tested). Errors name the field
 * as the caller wrote it: `from` on REST, `--from` on the command line.
 */

export const EXPORT_KINDS = ['candles', 'metrics', 'correlations'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export const EXPORT_FORMATS = ['csv', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRequest {
  kind: ExportKind;
  /** Candles and metrics: these instruments. Correlations: pairs with both sides in the list. */
  instruments: string[];
  /** Inclusive. */
  from?: Date;
  /** Inclusive. */
  to?: Date;
  /** Candles only. */
  granularity: Granularity;
  /** Correlations only: one window; all windows when absent. */
  window?: number;
  format: ExportFormat;
}

/** Raw strings as a query string or nest-commander hands them over. */
export interface RawExportFields {
  instruments?: string;
  from?: string;
  to?: string;
  granularity?: string;
  window?: string;
  format?: string;
}

export class ExportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportInputError';
  }
}

export interface ExportContext {
  tracked: readonly string[];
  /** The configured correlation windows (CORRELATION_WINDOWS). */
  windows: readonly number[];
  /** '' for query parameters, '--' for CLI options. */
  prefix: '' | '--';
}

/** Which fields each kind takes; any other one is refused by name. */
const FIELDS: Record<ExportKind, ReadonlyArray<keyof RawExportFields>> = {
  candles: ['instruments', 'from', 'to', 'granularity', 'format'],
  metrics: ['instruments', 'from', 'to', 'format'],
  correlations: ['instruments', 'from', 'to', 'window', 'format'],
};

export function exportFields(kind: ExportKind): ReadonlyArray<keyof RawExportFields> {
  return FIELDS[kind];
}

export function resolveExportRequest(
  kind: ExportKind,
  raw: RawExportFields,
  ctx: ExportContext,
): ExportRequest {
  const name = (field: string): string => `${ctx.prefix}${field}`;
  for (const field of Object.keys(raw) as Array<keyof RawExportFields>) {
    if (raw[field] !== undefined && !FIELDS[kind].includes(field))
      throw new ExportInputError(`${name(field)} does not apply to a ${kind} export`);
  }
  const time = (field: 'from' | 'to'): Date | undefined => {
    const text = raw[field];
    if (text === undefined) return undefined;
    const parsed = parseIsoTime(text);
    if (!parsed.ok) throw new ExportInputError(`${name(field)} ${parsed.reason}`);
    return parsed.value;
  };
  const from = time('from');
  const to = time('to');
  if (from && to && from > to)
    throw new ExportInputError(`${name('from')} must not be after ${name('to')}`);

  let instruments = [...ctx.tracked];
  if (raw.instruments !== undefined) {
    try {
      instruments = parseInstrumentList(raw.instruments, ctx.tracked, name('instruments'));
    } catch (error) {
      if (error instanceof InstrumentListError) throw new ExportInputError(error.message);
      throw error;
    }
  }

  const granularity = parseEnum(raw.granularity ?? 'H1', GRANULARITIES);
  if (!granularity.ok) throw new ExportInputError(`${name('granularity')} ${granularity.reason}`);
  const format = parseEnum(raw.format ?? 'csv', EXPORT_FORMATS);
  if (!format.ok) throw new ExportInputError(`${name('format')} ${format.reason}`);

  let window: number | undefined;
  if (raw.window !== undefined) {
    const parsed = parseStrictInt(raw.window, { min: 2, max: 100_000 });
    if (!parsed.ok) throw new ExportInputError(`${name('window')} ${parsed.reason}`);
    if (!ctx.windows.includes(parsed.value))
      throw new ExportInputError(`${name('window')} must be one of ${ctx.windows.join(', ')}`);
    window = parsed.value;
  }
  return {
    kind,
    instruments,
    from,
    to,
    granularity: granularity.value,
    window,
    format: format.value,
  };
}

const day = (t: Date): string => t.toISOString().slice(0, 10).replaceAll('-', '');

/**
 * `fx_candles_EUR_USD_H1_20260101-20260301.parquet`: the kind, the one
 * instrument when there is one, granularity or window, and the range
 * (`start` / `end` when open). Only [A-Za-z0-9_.-], so it needs no quoting.
 */
export function exportFilename(req: ExportRequest): string {
  const parts = ['fx', req.kind];
  if (req.instruments.length === 1) parts.push(req.instruments[0]);
  if (req.kind === 'candles') parts.push(req.granularity);
  if (req.kind === 'correlations' && req.window !== undefined) parts.push(`w${req.window}`);
  parts.push(`${req.from ? day(req.from) : 'start'}-${req.to ? day(req.to) : 'end'}`);
  return `${parts.join('_')}.${req.format}`;
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  // The media type registered with IANA for Parquet (2024).
  parquet: 'application/vnd.apache.parquet',
};
