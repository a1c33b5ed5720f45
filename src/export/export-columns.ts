import { METRIC_COLUMNS as INDICATOR_COLUMNS } from '../volatility';
/**
 * The columns of each export, in order, with their Parquet type. Rows carry
 * what PostgreSQL returned: prices as exact numeric text (CSV keeps it, Parquet
 * stores the nearest double), times as Date, correlation days as 'YYYY-MM-DD'.
 */

export type ExportCell = string | number | boolean | Date | null;
export type ExportRow = Record<string, ExportCell>;

export type ParquetColumnType = 'STRING' | 'TIMESTAMP' | 'DATE' | 'DOUBLE' | 'INT32' | 'BOOLEAN';

export interface ExportColumn {
  name: string;
  type: ParquetColumnType;
  nullable: boolean;
}

const required = (name: string, type: ParquetColumnType): ExportColumn => ({
  name,
  type,
  nullable: false,
});
const optional = (name: string, type: ParquetColumnType): ExportColumn => ({
  name,
  type,
  nullable: true,
});

const SIDES = ['bid', 'ask', 'mid'] as const;
const PARTS = ['open', 'high', 'low', 'close'] as const;
export const CANDLE_PRICE_COLUMNS = SIDES.flatMap((s) => PARTS.map((p) => `${p}_${s}`));

export const CANDLE_COLUMNS: readonly ExportColumn[] = [
  required('instrument', 'STRING'),
  required('time', 'TIMESTAMP'),
  required('granularity', 'STRING'),
  ...CANDLE_PRICE_COLUMNS.map((c) => required(c, 'DOUBLE')),
  required('volume', 'INT32'),
  required('complete', 'BOOLEAN'),
];

/** volatility_metrics' indicator columns (DESIGN.md section 5), NULL where history was too short: the volatility feature's own list. */
export const METRIC_VALUE_COLUMNS = INDICATOR_COLUMNS;

export const METRIC_COLUMNS: readonly ExportColumn[] = [
  required('instrument', 'STRING'),
  required('time', 'TIMESTAMP'),
  ...METRIC_VALUE_COLUMNS.map((c) => optional(c, 'DOUBLE')),
];

export const CORRELATION_COLUMNS: readonly ExportColumn[] = [
  required('time', 'DATE'),
  required('window_size', 'INT32'),
  required('pair1', 'STRING'),
  required('pair2', 'STRING'),
  optional('correlation', 'DOUBLE'),
  optional('sample_size', 'INT32'),
  required('calculated_at', 'TIMESTAMP'),
];
