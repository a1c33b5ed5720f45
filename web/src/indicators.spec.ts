import { aggregateBars, bollinger, ema, mergeBars, sma } from './indicators';

describe('indicators', () => {
  const closes = [1, 2, 3, 4, 5, 6];

  it('SMA is null until the period is full', () => {
    expect(sma(closes, 3)).toEqual([null, null, 2, 3, 4, 5]);
  });

  it('EMA is seeded with the SMA of its first period (TA-Lib classic)', () => {
    const out = ema(closes, 3);
    expect(out.slice(0, 2)).toEqual([null, null]);
    expect(out[2]).toBe(2);
    expect(out[3]).toBeCloseTo(4 * 0.5 + 2 * 0.5, 12);
    expect(ema([1, 2], 3)).toEqual([null, null]);
  });

  it('Bollinger bands use the population standard deviation', () => {
    const { upper, middle, lower } = bollinger([2, 4, 4, 4, 5, 5, 7, 9], 8, 2);
    // mean 5, population sd 2
    expect(middle[7]).toBe(5);
    expect(upper[7]).toBeCloseTo(9, 12);
    expect(lower[7]).toBeCloseTo(1, 12);
    expect(upper[6]).toBeNull();
  });

  it('aggregates H1 bars into UTC buckets and merges pages by time', () => {
    const h = 3600;
    const bars = [0, 1, 2, 3, 4].map((i) => ({
      time: i * h,
      open: i,
      high: i + 1,
      low: i - 1,
      close: i + 0.5,
    }));
    const h4 = aggregateBars(bars, 4 * h);
    expect(h4).toEqual([
      { time: 0, open: 0, high: 4, low: -1, close: 3.5 },
      { time: 4 * h, open: 4, high: 5, low: 3, close: 4.5 },
    ]);
    expect(bars[0].time).toBe(0); // input untouched
    const merged = mergeBars(bars.slice(2), bars.slice(0, 3));
    expect(merged.map((b) => b.time)).toEqual([0, h, 2 * h, 3 * h, 4 * h]);
  });
});
