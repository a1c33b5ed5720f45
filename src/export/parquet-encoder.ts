import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { ExportCell, ExportColumn, ExportRow, ParquetColumnType } from './export-columns';

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

export interface ParquetChunkOptions {
  /**
   * Rows per row group: the unit a reader (pandas, polars, DuckDB) skips or
   * reads in parallel, and the most rows this encoder holds at once.
   */
  rowGroupRows: number;
  createdBy: string;
}

function element(column: ExportColumn): SchemaElement {
  const repetition_type = column.nullable ? 'OPTIONAL' : 'REQUIRED';
  const { name } = column;
  switch (column.type) {
    case 'STRING':
      return { name, repetition_type, type: 'BYTE_ARRAY', converted_type: 'UTF8' };
    case 'TIMESTAMP':
      // UTC instants in milliseconds: pandas, polars and DuckDB read them as timezone-aware times.
      return {
        name,
        repetition_type,
        type: 'INT64',
        converted_type: 'TIMESTAMP_MILLIS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
      };
    case 'DATE':
      return { name, repetition_type, type: 'INT32', converted_type: 'DATE' };
    case 'DOUBLE':
    case 'INT32':
    case 'BOOLEAN':
      return { name, repetition_type, type: column.type };
  }
}

export function parquetSchema(columns: readonly ExportColumn[]): SchemaElement[] {
  return [{ name: 'root', num_children: columns.length }, ...columns.map(element)];
}

/** A cell as the writer wants it for the column's type (prices arrive as exact numeric text). */
function convert(value: ExportCell, type: ParquetColumnType): ExportCell {
  if (value === null) return null;
  if (type === 'DOUBLE' || type === 'INT32')
    return typeof value === 'string' ? Number(value) : value;
  if (type === 'DATE' && typeof value === 'string') return new Date(`${value}T00:00:00Z`);
  return value;
}

/**
 * A ByteWriter whose bytes are handed out after each row group and then
 * forgotten: `offset` (the file position the metadata refers to) keeps
 * counting while the buffer is reused, so the encoder never holds more than
 * one row group's bytes (the approach of hyparquet-writer's own file writer).
 */
class ChunkWriter extends ByteWriter {
  take(): Uint8Array {
    const bytes = this.getBytes().slice();
    this.index = 0;
    return bytes;
  }
}

/**
 * An Apache Parquet file as a sequence of byte chunks: the magic, one chunk
 * per row group, then the footer (row-group metadata, page indexes). Pulled
 * like the CSV encoder, so the database reads go at the pace of the consumer.
 */
export async function* parquetChunks(
  columns: readonly ExportColumn[],
  batches: AsyncIterable<ExportRow[]>,
  options: ParquetChunkOptions,
): AsyncGenerator<Uint8Array> {
  const out = new ChunkWriter(1 << 16);
  const writer = new ParquetWriter({
    writer: out,
    schema: parquetSchema(columns),
    codec: 'SNAPPY',
    createdBy: options.createdBy,
  });
  let pending: ExportRow[] = [];
  const writeGroup = async (rows: ExportRow[]): Promise<Uint8Array> => {
    await writer.write({
      columnData: columns.map((c) => ({
        name: c.name,
        data: rows.map((r) => convert(r[c.name], c.type)),
      })),
      rowGroupSize: rows.length,
    });
    return out.take();
  };
  for await (const rows of batches) {
    pending = pending.length ? pending.concat(rows) : rows;
    while (pending.length >= options.rowGroupRows) {
      const group = pending.slice(0, options.rowGroupRows);
      pending = pending.slice(options.rowGroupRows);
      yield await writeGroup(group);
    }
  }
  if (pending.length) yield await writeGroup(pending);
  await writer.finish();
  yield out.take();
}
