import { findGaps, formatGap, gapFetchRange, missingCount, shortIso } from './gap-finder';
import { expectedCandleTimes } from '../platform/time';

const at = (s: string): Date => new Date(s);
const hours = (from: string, to: string): number[] =>
  expectedCandleTimes(at(from), at(to), 'H1').map((t) => t.getTime());

describe('findGaps', () => {
  it('should find no gaps when every expected candle is present', () => {
    const present = new Set(hours('2026-03-04T00:00Z', '2026-03-05T00:00Z'));
    expect(
      findGaps({
        from: at('2026-03-04T00:00Z'),
        to: at('2026-03-05T00:00Z'),
        granularity: 'H1',
        present,
      }),
    ).toEqual([]);
  });

  it('should group consecutive missing candles into one gap each', () => {
    const all = hours('2026-03-04T00:00Z', '2026-03-05T00:00Z');
    const missing = new Set(
      ['2026-03-04T10:00Z', '2026-03-04T11:00Z', '2026-03-04T12:00Z', '2026-03-04T20:00Z'].map(
        (s) => at(s).getTime(),
      ),
    );
    const present = new Set(all.filter((t) => !missing.has(t)));
    const gaps = findGaps({
      from: at('2026-03-04T00:00Z'),
      to: at('2026-03-05T00:00Z'),
      granularity: 'H1',
      present,
    });
    expect(gaps.map(formatGap)).toEqual([
      '2026-03-04T10:00Z .. 2026-03-04T12:00Z (3 candles)',
      '2026-03-04T20:00Z (1 candle)',
    ]);
    expect(missingCount(gaps)).toBe(4);
  });

  it('should never report the weekend and join a hole across it into one gap', () => {
    const present = new Set([at('2026-03-06T18:00Z').getTime(), at('2026-03-08T23:00Z').getTime()]);
    const gaps = findGaps({
      from: at('2026-03-06T18:00Z'),
      to: at('2026-03-09T00:00Z'),
      granularity: 'H1',
      present,
    });
    // The US clock change between them: Friday still closes 22:00 UTC (19, 20, 21 missing),
    // Sunday 2026-03-08 already opens 21:00 UTC (21, 22 missing).
    expect(gaps.map(formatGap)).toEqual(['2026-03-06T19:00Z .. 2026-03-08T22:00Z (5 candles)']);
  });
});

describe('gapFetchRange', () => {
  it('should cover the gap with an exclusive end one candle after its last', () => {
    const range = gapFetchRange(
      { first: at('2026-03-04T10:00Z'), last: at('2026-03-04T12:00Z'), count: 3 },
      'H1',
    );
    expect(range.from.toISOString()).toBe('2026-03-04T10:00:00.000Z');
    expect(range.to.toISOString()).toBe('2026-03-04T13:00:00.000Z');
  });
});

describe('shortIso', () => {
  it('should drop zero seconds but keep meaningful ones', () => {
    expect(shortIso(at('2026-03-04T10:00:00Z'))).toBe('2026-03-04T10:00Z');
    expect(shortIso(at('2026-03-04T10:00:05Z'))).toBe('2026-03-04T10:00:05Z');
  });
});
