import { formatBackfillSummary, formatTable } from './backfill-report';
import type { InstrumentBackfillResult } from './backfill.service';

const result = (over: Partial<InstrumentBackfillResult>): InstrumentBackfillResult => ({
  instrument: 'EUR_USD',
  status: 'ok',
  inserted: 10,
  updated: 2,
  unchanged: 3,
  fetched: 15,
  fetches: 1,
  pages: 1,
  holesPlanned: 1,
  first: new Date('2026-03-04T00:00:00Z'),
  last: new Date('2026-03-04T14:00:00Z'),
  gaps: [],
  seconds: 1.234,
  ...over,
});

describe('formatTable', () => {
  it('should pad columns to the widest cell', () => {
    expect(formatTable(['a', 'bb'], [['ccc', 'd']])).toBe('a    bb\n---  --\nccc  d');
  });
});

describe('formatBackfillSummary', () => {
  it('should show stored counts, range, gaps, seconds, status and a total', () => {
    const text = formatBackfillSummary([
      result({}),
      result({
        instrument: 'GBP_USD',
        inserted: 0,
        updated: 0,
        first: null,
        last: null,
        gaps: [{ first: new Date(0), last: new Date(0), count: 3 }],
        status: 'failed',
        error: 'provider said no',
      }),
    ]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(
      /^instrument\s+candles stored\s+first\s+last\s+gaps found\s+seconds\s+status$/,
    );
    expect(lines[2]).toMatch(
      /^EUR_USD\s+12\s+2026-03-04T00:00Z\s+2026-03-04T14:00Z\s+0\s+1\.2\s+ok$/,
    );
    expect(lines[3]).toMatch(
      /^GBP_USD\s+0\s+-\s+-\s+1 \(3 candles\)\s+1\.2\s+FAILED: provider said no$/,
    );
    expect(lines[4]).toMatch(/^total\s+12\s+1\.2$/);
  });
});
