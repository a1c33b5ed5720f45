import { LineProgress } from './backfill-progress';
import type { InstrumentBackfillResult } from './backfill.service';

const done = (over: Partial<InstrumentBackfillResult> = {}): InstrumentBackfillResult => ({
  instrument: 'EUR_USD',
  status: 'ok',
  inserted: 100,
  updated: 0,
  unchanged: 0,
  fetched: 100,
  fetches: 1,
  pages: 1,
  holesPlanned: 1,
  first: null,
  last: null,
  gaps: [],
  seconds: 0.5,
  ...over,
});

describe(LineProgress.name, () => {
  it('should print a start line, about every tenth of the way, and a final line', () => {
    const lines: string[] = [];
    const progress = new LineProgress((l) => lines.push(l));
    progress.start('EUR_USD', { ranges: [{ from: new Date(0) }], expected: 100, gapRanges: 1 });
    for (let i = 0; i < 20; i++) progress.advance('EUR_USD', 5, new Date('2026-03-04T10:00:00Z'));
    progress.finish(done());
    expect(lines[0]).toBe('EUR_USD: fetching 1 range(s), about 100 candles');
    expect(lines[1]).toBe('EUR_USD: 10/100 candles (10%), up to 2026-03-04T10:00Z');
    expect(lines).toHaveLength(1 + 10 + 1);
    expect(lines[lines.length - 1]).toBe('EUR_USD: done, 100 new, 0 updated, 0 unchanged in 0.5 s');
  });

  it('should say when there is nothing to fetch and when an instrument failed', () => {
    const lines: string[] = [];
    const progress = new LineProgress((l) => lines.push(l));
    progress.start('GBP_USD', { ranges: [], expected: 0, gapRanges: 0 });
    progress.finish(done({ instrument: 'GBP_USD', status: 'failed', error: 'HTTP 401' }));
    expect(lines).toEqual(['GBP_USD: up to date, nothing to fetch', 'GBP_USD: FAILED: HTTP 401']);
  });
});
