import type { ExportCell, ExportColumn, ExportRow } from './export-columns';

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function field(value: ExportCell): string {
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvHeaderLine(columns: readonly ExportColumn[]): string {
  return `${columns.map((c) => field(c.name)).join(',')}\n`;
}

/**
 * One batch of rows as CSV text. Numbers from PostgreSQL's numeric come as
 * their exact text and stay so; doubles print as JavaScript's shortest
 * round-trip form; NULL is an empty field.
 */
export function csvLines(columns: readonly ExportColumn[], rows: readonly ExportRow[]): string {
  let out = '';
  for (const row of rows) out += `${columns.map((c) => field(row[c.name])).join(',')}\n`;
  return out;
}

/** Header, then one chunk of text per batch: pulled, so it goes as fast as the reader reads. */
export async function* csvChunks(
  columns: readonly ExportColumn[],
  batches: AsyncIterable<ExportRow[]>,
): AsyncGenerator<string> {
  yield csvHeaderLine(columns);
  for await (const rows of batches) if (rows.length) yield csvLines(columns, rows);
}
