import { planRange, planResume, windowStart } from './backfill-plan';

const at = (s: string): Date => new Date(s);
const now = at('2026-03-04T12:34:00Z'); // a Wednesday

describe('planResume', () => {
  it('should fetch the whole window when nothing is stored', () => {
    const plan = planResume({ granularity: 'H1', now, days: 7, bounds: undefined });
    expect(plan.ranges).toEqual([{ from: at('2026-02-25T12:00:00Z') }]);
    // 7 days back from Wednesday 12:00 up to and including the forming 12:00 candle, minus one weekend.
    expect(plan.expected).toBe(7 * 24 - 48 + 1);
  });

  it('should resume after the last complete candle, re-fetching the forming one', () => {
    const plan = planResume({
      granularity: 'H1',
      now,
      days: 365,
      bounds: {
        count: 100,
        first: at('2025-03-04T12:00Z'),
        last: at('2026-03-04T12:00Z'),
        lastComplete: at('2026-03-04T10:00Z'),
      },
    });
    expect(plan.ranges).toEqual([{ from: at('2026-03-04T11:00Z') }]);
    expect(plan.expected).toBe(2);
  });

  it('should fetch the head too when stored history starts inside the window', () => {
    const plan = planResume({
      granularity: 'H1',
      now,
      days: 30,
      bounds: {
        count: 50,
        first: at('2026-03-01T22:00Z'),
        last: at('2026-03-04T11:00Z'),
        lastComplete: at('2026-03-04T11:00Z'),
      },
    });
    expect(plan.ranges).toEqual([
      { from: at('2026-02-02T12:00Z'), to: at('2026-03-01T22:00Z') },
      { from: at('2026-03-04T12:00Z') },
    ]);
  });

  it('should plan no request over a weekend when Friday is complete', () => {
    const saturday = at('2026-03-07T15:00Z');
    const plan = planResume({
      granularity: 'H1',
      now: saturday,
      days: 365,
      bounds: {
        count: 6000,
        first: at('2025-03-07T15:00Z'),
        // US winter: the last Friday candle opens at 21:00 UTC (close 17:00 New York).
        last: at('2026-03-06T21:00Z'),
        lastComplete: at('2026-03-06T21:00Z'),
      },
    });
    expect(plan.ranges).toEqual([]);
    expect(plan.expected).toBe(0);
  });

  it('should resume coarser granularities one candle length after the last', () => {
    const plan = planResume({
      granularity: 'D',
      now,
      days: 365,
      bounds: {
        count: 300,
        first: at('2025-03-04T21:00Z'),
        last: at('2026-03-02T21:00Z'),
        lastComplete: at('2026-03-02T21:00Z'),
      },
    });
    expect(plan.ranges).toEqual([{ from: at('2026-03-03T21:00Z') }]);
  });
});

describe('planRange', () => {
  it('should fetch exactly the gaps', () => {
    const plan = planRange({
      granularity: 'H1',
      now,
      from: at('2026-03-02T00:00Z'),
      to: at('2026-03-04T00:00Z'),
      gaps: [
        { first: at('2026-03-02T10:00Z'), last: at('2026-03-02T12:00Z'), count: 3 },
        { first: at('2026-03-03T05:00Z'), last: at('2026-03-03T05:00Z'), count: 1 },
      ],
    });
    expect(plan.ranges).toEqual([
      { from: at('2026-03-02T10:00Z'), to: at('2026-03-02T13:00Z') },
      { from: at('2026-03-03T05:00Z'), to: at('2026-03-03T06:00Z') },
    ]);
    expect(plan.expected).toBe(4);
    expect(plan.gapRanges).toBe(2);
  });

  it('should fetch the whole range when gaps are unknowable', () => {
    const plan = planRange({
      granularity: 'H4',
      now,
      from: at('2026-03-02T00:00Z'),
      to: at('2026-03-04T00:00Z'),
      gaps: undefined,
    });
    expect(plan.ranges).toEqual([{ from: at('2026-03-02T00:00Z'), to: at('2026-03-04T00:00Z') }]);
  });
});

describe('windowStart', () => {
  it('should align to the candle grid', () => {
    expect(windowStart(now, 1, 'H1').toISOString()).toBe('2026-03-03T12:00:00.000Z');
    expect(windowStart(now, 1, 'M15').toISOString()).toBe('2026-03-03T12:30:00.000Z');
  });
});
