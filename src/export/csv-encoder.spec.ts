import { csvChunks, csvHeaderLine, csvLines } from './csv-encoder';
import type { ExportColumn } from './export-columns';

const columns: ExportColumn[] = [
  { name: 'instrument', type: 'STRING', nullable: false },
  { name: 'time', type: 'TIMESTAMP', nullable: false },
  { name: 'close_mid', type: 'DOUBLE', nullable: false },
  { name: 'atr', type: 'DOUBLE', nullable: true },
  { name: 'complete', type: 'BOOLEAN', nullable: false },
];

describe('csv encoder', () => {
  it('should write the header, exact numeric text, ISO times and empty NULLs', () => {
    expect(csvHeaderLine(columns)).toBe('instrument,time,close_mid,atr,complete\n');
    expect(
      csvLines(columns, [
        {
          instrument: 'EUR_USD',
          time: new Date('2026-03-04T10:00:00Z'),
          close_mid: '1.08500',
          atr: null,
          complete: true,
        },
        {
          instrument: 'EUR_USD',
          time: new Date('2026-03-04T11:00:00Z'),
          close_mid: '1.08597',
          atr: 0.1 + 0.2,
          complete: false,
        },
      ]),
    ).toBe(
      'EUR_USD,2026-03-04T10:00:00.000Z,1.08500,,true\n' +
        'EUR_USD,2026-03-04T11:00:00.000Z,1.08597,0.30000000000000004,false\n',
    );
  });

  it('should quote a field holding a comma, a quote or a line break', () => {
    const one: ExportColumn[] = [{ name: 'reason', type: 'STRING', nullable: true }];
    expect(csvLines(one, [{ reason: 'a, "b"\nc' }])).toBe('"a, ""b""\nc"\n');
  });

  it('should yield the header even when there are no rows', async () => {
    async function* none(): AsyncGenerator<never> {}
    const chunks: string[] = [];
    for await (const c of csvChunks(columns, none())) chunks.push(c);
    expect(chunks).toEqual(['instrument,time,close_mid,atr,complete\n']);
  });
});
