import { calculationDay } from './calculation-day';
import { orderPair, pairCorrelation, pearson, unorderedPairs } from './pearson';

describe('pearson', () => {
  it('should be 1 and -1 for perfectly linear samples', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 15);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 15);
  });

  it('should match a hand-worked value', () => {
    // deviations (-1.5, -.5, .5, 1.5) and (-1.5, .5, -.5, 1.5): sxy 4, sxx = syy = 5
    expect(pearson([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 15);
  });

  it('should be NaN without variance or with fewer than two points', () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(pearson([1], [2])).toBeNaN();
    expect(() => pearson([1, 2], [1])).toThrow(/length/);
  });
});

describe('pairCorrelation', () => {
  const e = Math.exp;
  // b has no candle at t=2: returns are taken between the COMMON times 1, 3, 4, 5.
  const a = { times: [1, 2, 3, 4, 5], close: [1, e(0.1), e(0.3), e(0.2), e(0.5)] };
  const b = { times: [1, 3, 4, 5], close: [2, 2 * e(0.2), 2 * e(0.1), 2 * e(0.4)] };

  it('should correlate log returns between consecutive common times', () => {
    // a: 0.3, -0.1, 0.3   b: 0.2, -0.1, 0.3
    const dx = [0.3 - 0.5 / 3, -0.1 - 0.5 / 3, 0.3 - 0.5 / 3];
    const dy = [0.2 - 0.4 / 3, -0.1 - 0.4 / 3, 0.3 - 0.4 / 3];
    const sxy = dx[0] * dy[0] + dx[1] * dy[1] + dx[2] * dy[2];
    const sxx = dx[0] ** 2 + dx[1] ** 2 + dx[2] ** 2;
    const syy = dy[0] ** 2 + dy[1] ** 2 + dy[2] ** 2;
    const result = pairCorrelation(a, b, 3);
    expect(result.sampleSize).toBe(3);
    expect(result.correlation).toBeCloseTo(sxy / Math.sqrt(sxx * syy), 12);
  });

  it('should use only the last W + 1 common times', () => {
    // W = 2 keeps common times 3, 4, 5: returns (-0.1, 0.3) and (-0.1, 0.3) -> exactly 1
    expect(pairCorrelation(a, b, 2).correlation).toBeCloseTo(1, 12);
  });

  it('should be NaN with the available sample size when there are fewer than W + 1 common times', () => {
    expect(pairCorrelation(a, b, 4)).toEqual({ correlation: Number.NaN, sampleSize: 3 });
    expect(pairCorrelation(a, { times: [], close: [] }, 2)).toEqual({
      correlation: Number.NaN,
      sampleSize: 0,
    });
  });

  it('should correlate returns, not price levels', () => {
    const times = [0, 1, 2, 3, 4, 5];
    const up = { times, close: [100, 102, 101, 103, 102, 104] };
    const alsoUp = { times, close: [50, 50.5, 51.5, 52, 53, 53.5] };
    expect(pearson(up.close, alsoUp.close)).toBeGreaterThan(0.7);
    expect(pairCorrelation(up, alsoUp, 5).correlation).toBeLessThan(-0.9);
  });

  it('should reject a window below 2', () => {
    expect(() => pairCorrelation(a, b, 1)).toThrow(/window/);
  });
});

describe('unorderedPairs', () => {
  it('should list each unordered pair once with pair1 < pair2', () => {
    expect(unorderedPairs(['USD_JPY', 'EUR_USD', 'GBP_USD'])).toEqual([
      ['EUR_USD', 'GBP_USD'],
      ['EUR_USD', 'USD_JPY'],
      ['GBP_USD', 'USD_JPY'],
    ]);
    expect(unorderedPairs(Array.from({ length: 20 }, (_, i) => `A${i}`))).toHaveLength(190);
    expect(orderPair('USD_CHF', 'EUR_USD')).toEqual(['EUR_USD', 'USD_CHF']);
  });
});

describe('calculationDay', () => {
  const now = new Date('2026-03-10T12:34:56Z');

  it('should stand for today up to now without an as-of date', () => {
    expect(calculationDay(undefined, now)).toEqual({ date: '2026-03-10', cutoff: now });
  });

  it('should end at the last millisecond of the as-of UTC day', () => {
    expect(calculationDay(new Date('2020-12-24T00:00:00Z'), now)).toEqual({
      date: '2020-12-24',
      cutoff: new Date('2020-12-24T23:59:59.999Z'),
    });
  });

  it('should not look past now when the as-of date is today, and refuse a future date', () => {
    expect(calculationDay(new Date('2026-03-10T00:00:00Z'), now).cutoff).toEqual(now);
    expect(() => calculationDay(new Date('2026-03-11T00:00:00Z'), now)).toThrow(/future/);
  });
});
