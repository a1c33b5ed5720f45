import {
  candleStart,
  countExpectedCandles,
  expectedCandleTimes,
  isMarketOpen,
  nextExpectedTime,
  UnsupportedGranularityError,
} from './trading-calendar';

const iso = (ts: Date[]): string[] => ts.map((t) => t.toISOString());
const at = (s: string): Date => new Date(s);

describe('isMarketOpen', () => {
  // 2026-07-10 is a Friday, 07-11 a Saturday, 07-12 a Sunday (US daylight time: 21:00 UTC).
  it.each([
    ['2026-07-08T12:00:00Z', true, 'Wednesday midday'],
    ['2026-07-10T20:59:59Z', true, 'Friday just before the close'],
    ['2026-07-10T21:00:00Z', false, 'Friday at the close'],
    ['2026-07-11T12:00:00Z', false, 'Saturday'],
    ['2026-07-12T20:59:59Z', false, 'Sunday just before the open'],
    ['2026-07-12T21:00:00Z', true, 'Sunday at the open'],
    ['2026-07-13T00:00:00Z', true, 'Monday midnight'],
    ['2026-11-20T21:30:00Z', true, 'Friday 21:30 in US winter (close is 22:00 UTC)'],
    ['2026-11-22T21:30:00Z', false, 'Sunday 21:30 in US winter (open is 22:00 UTC)'],
  ])('should say %s is open=%s (%s)', (time, open) => {
    expect(isMarketOpen(at(time))).toBe(open);
    expect(isMarketOpen(at(time).getTime())).toBe(open);
  });
});

describe('expectedCandleTimes', () => {
  it.each([
    {
      name: 'three ordinary hours',
      from: '2026-07-08T10:00Z',
      to: '2026-07-08T13:00Z',
      granularity: 'H1' as const,
      expected: [
        '2026-07-08T10:00:00.000Z',
        '2026-07-08T11:00:00.000Z',
        '2026-07-08T12:00:00.000Z',
      ],
    },
    {
      name: 'across the weekend: Friday 20:00 then Sunday 21:00',
      from: '2026-07-10T19:00Z',
      to: '2026-07-12T23:00Z',
      granularity: 'H1' as const,
      expected: [
        '2026-07-10T19:00:00.000Z',
        '2026-07-10T20:00:00.000Z',
        '2026-07-12T21:00:00.000Z',
        '2026-07-12T22:00:00.000Z',
      ],
    },
    {
      name: 'an unaligned from starts at the next candle',
      from: '2026-07-08T10:30Z',
      to: '2026-07-08T12:00Z',
      granularity: 'H1' as const,
      expected: ['2026-07-08T11:00:00.000Z'],
    },
    {
      name: 'M30 over the Sunday open',
      from: '2026-07-12T20:00Z',
      to: '2026-07-12T22:00Z',
      granularity: 'M30' as const,
      expected: ['2026-07-12T21:00:00.000Z', '2026-07-12T21:30:00.000Z'],
    },
    {
      name: 'an empty range',
      from: '2026-07-08T10:00Z',
      to: '2026-07-08T10:00Z',
      granularity: 'H1' as const,
      expected: [],
    },
    {
      name: 'a range inside the weekend',
      from: '2026-07-11T00:00Z',
      to: '2026-07-12T21:00Z',
      granularity: 'M5' as const,
      expected: [],
    },
  ])('should list $name', ({ from, to, granularity, expected }) => {
    expect(iso(expectedCandleTimes(at(from), at(to), granularity))).toEqual(expected);
  });

  it('should expect 120 H1 candles in a full trading week', () => {
    expect(countExpectedCandles(at('2026-07-12T21:00Z'), at('2026-07-19T21:00Z'), 'H1')).toBe(120);
  });

  it('should refuse granularities without a fixed UTC grid', () => {
    expect(() => expectedCandleTimes(0, 1, 'H4')).toThrow(UnsupportedGranularityError);
    expect(() => candleStart(0, 'D')).toThrow(/gap detection supports S5/);
  });
});

describe('nextExpectedTime', () => {
  it('should skip the weekend to the Sunday open', () => {
    const next = nextExpectedTime(at('2026-07-10T21:00Z'), 'H1', at('2026-07-13T00:00Z'));
    expect(next).toBe(at('2026-07-12T21:00Z').getTime());
  });

  it('should say nothing exists when the limit comes first', () => {
    expect(
      nextExpectedTime(at('2026-07-10T21:00Z'), 'H1', at('2026-07-12T21:00Z')),
    ).toBeUndefined();
  });
});

describe('candleStart', () => {
  it('should floor to the granularity grid', () => {
    expect(new Date(candleStart(at('2026-07-08T10:47:13Z').getTime(), 'H1')).toISOString()).toBe(
      '2026-07-08T10:00:00.000Z',
    );
    expect(new Date(candleStart(at('2026-07-08T10:47:13Z').getTime(), 'M15')).toISOString()).toBe(
      '2026-07-08T10:45:00.000Z',
    );
  });
});
