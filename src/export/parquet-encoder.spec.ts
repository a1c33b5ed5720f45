import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import type { ExportColumn, ExportRow } from './export-columns';
import { parquetChunks } from './parquet-encoder';

const columns: ExportColumn[] = [
  { name: 'time', type: 'DATE', nullable: false },
  { name: 'pair1', type: 'STRING', nullable: false },
  { name: 'window_size', type: 'INT32', nullable: false },
  { name: 'correlation', type: 'DOUBLE', nullable: true },
  { name: 'close_mid', type: 'DOUBLE', nullable: false },
  { name: 'calculated_at', type: 'TIMESTAMP', nullable: false },
  { name: 'complete', type: 'BOOLEAN', nullable: false },
];

async function encode(
  batches: ExportRow[][],
  rowGroupRows: number,
): Promise<{ file: ArrayBuffer; chunks: number }> {
  async function* source(): AsyncGenerator<ExportRow[]> {
    for (const b of batches) yield b;
  }
  const parts: Uint8Array[] = [];
  for await (const c of parquetChunks(columns, source(), { rowGroupRows, createdBy: 'test' }))
    parts.push(c);
  const bytes = Buffer.concat(parts);
  return {
    file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    chunks: parts.length,
  };
}

const row = (i: number): ExportRow => ({
  time: `2026-03-${String(1 + (i % 28)).padStart(2, '0')}`,
  pair1: i % 2 ? 'EUR_USD' : 'GBP_USD',
  window_size: 100,
  correlation: i % 5 === 0 ? null : i / 1000,
  close_mid: (1.08 + i / 100_000).toFixed(5),
  calculated_at: new Date(Date.UTC(2026, 2, 1, 0, 0, i)),
  complete: i % 3 !== 0,
});

describe('parquetChunks', () => {
  it('should write a file hyparquet reads back row for row, one row group per rowGroupRows rows', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => row(i));
    const { file, chunks } = await encode(
      [rows.slice(0, 70), rows.slice(70, 200), rows.slice(200)],
      100,
    );
    const meta = parquetMetadata(file);
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([100, 100, 50]);
    // One chunk per row group, then the footer: never the whole file at once.
    expect(chunks).toBe(4);
    const back = await parquetReadObjects({ file });
    expect(back).toHaveLength(250);
    back.forEach((r, i) => {
      const want = rows[i];
      expect((r.time as Date).toISOString().slice(0, 10)).toBe(want.time);
      expect(r.pair1).toBe(want.pair1);
      expect(r.window_size).toBe(100);
      expect(r.correlation).toBe(want.correlation);
      expect(r.close_mid).toBe(Number(want.close_mid));
      expect((r.calculated_at as Date).getTime()).toBe((want.calculated_at as Date).getTime());
      expect(r.complete).toBe(want.complete);
    });
  });

  it('should write a valid empty file when there are no rows', async () => {
    const { file } = await encode([], 100);
    expect(Number(parquetMetadata(file).num_rows)).toBe(0);
    expect(await parquetReadObjects({ file })).toEqual([]);
  });

  it('should mark times as UTC instants and nullable columns as optional', async () => {
    const { file } = await encode([[row(1)]], 100);
    const schema = parquetMetadata(file).schema;
    const at = schema.find((s) => s.name === 'calculated_at');
    expect(at?.logical_type).toEqual({ type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' });
    expect(schema.find((s) => s.name === 'correlation')?.repetition_type).toBe('OPTIONAL');
    expect(schema.find((s) => s.name === 'close_mid')?.repetition_type).toBe('REQUIRED');
  });
});
