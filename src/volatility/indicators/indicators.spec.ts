import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  atr,
  bollinger,
  computeMetrics,
  ema,
  FIRST_INDEX,
  historicalVolatility,
  logReturns,
  macd,
  METRIC_COLUMNS,
  type MetricColumn,
  periodsPerYear,
  rsi,
  sma,
  stochastic,
  trueRange,
  williamsR,
} from './index';

const nan = Number.NaN;

/** Same length, NaN exactly where expected is NaN, numbers within 1e-9 relative (1e-12 absolute near 0). */
function expectSeries(
  actual: ArrayLike<number>,
  expected: ArrayLike<number | null>,
  label = '',
): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i += 1) {
    const e = expected[i];
    const a = actual[i];
    if (e === null || Number.isNaN(e)) {
      if (!Number.isNaN(a)) throw new Error(`${label}[${i}]: expected no value, got ${a}`);
      continue;
    }
    if (!(Math.abs(a - e) <= 1e-12 + 1e-9 * Math.abs(e))) {
      throw new Error(`${label}[${i}]: expected ${e}, got ${a}`);
    }
  }
}

const leadingNaN = (values: ArrayLike<number>): number => {
  let i = 0;
  while (i < values.length && Number.isNaN(values[i])) i += 1;
  return i;
};

describe('indicators (hand-worked series)', () => {
  it('should average the last n closes for SMA and leave n-1 leading NaN', () => {
    expectSeries(sma([1, 2, 3, 4, 5], 3), [nan, nan, 2, 3, 4]);
  });

  it('should seed the EMA with the SMA of the first n values, then use k = 2/(n+1)', () => {
    // k = 0.5; seed (2+4+6)/3 = 4; then (8-4)/2+4 = 6; (4-6)/2+6 = 5
    expectSeries(ema([2, 4, 6, 8, 4], 3), [nan, nan, 4, 6, 5]);
  });

  it('should seed the EMA on a later window when asked (MACD alignment)', () => {
    // seed = mean(6, 8) = 7 at index 3; then (4-7)*2/3+7 = 5
    expectSeries(ema([2, 4, 6, 8, 4], 2, 3), [nan, nan, nan, 7, 5]);
  });

  it('should use the POPULATION standard deviation for Bollinger bands', () => {
    const b = bollinger([1, 2, 3, 4], 4, 2);
    const popStd = Math.sqrt(1.25); // sample std would be sqrt(5/3)
    expectSeries(b.middle, [nan, nan, nan, 2.5]);
    expectSeries(b.upper, [nan, nan, nan, 2.5 + 2 * popStd]);
    expectSeries(b.lower, [nan, nan, nan, 2.5 - 2 * popStd]);
  });

  it('should use the SAMPLE standard deviation of log returns for volatility, annualised', () => {
    const closes = [1, Math.exp(0.01), Math.exp(0.03), Math.exp(0.02)];
    expectSeries(logReturns(closes), [nan, 0.01, 0.02, -0.01]);
    // returns 0.01, 0.02, -0.01: mean 1/150, squared deviations sum 7/15000, / (n-1) = 7/30000
    const expected = Math.sqrt(7 / 30000) * Math.sqrt(4);
    expectSeries(historicalVolatility(logReturns(closes), 3, 4), [nan, nan, nan, expected]);
  });

  it('should compute the true range from the second candle and Wilder-smooth the ATR', () => {
    const high = [10, 11, 12, 11.5, 14];
    const low = [8, 9, 10.5, 10, 12];
    const close = [9, 10, 11, 10.5, 13];
    expectSeries(trueRange(high, low, close), [nan, 2, 2, 1.5, 3.5]);
    // first ATR = mean(2, 2, 1.5) at index 3; then (ATR*2 + 3.5)/3
    const first = 5.5 / 3;
    expectSeries(atr(high, low, close, 3), [nan, nan, nan, first, (first * 2 + 3.5) / 3]);
  });

  it('should start RSI at index n from the mean of the first n changes and smooth it like Wilder', () => {
    const closes = [10, 11, 10.5, 11.5, 11, 12];
    // changes +1, -0.5, +1 -> G = 2/3, L = 1/6 -> 80
    const g1 = 2 / 3;
    const l1 = 0.5 / 3;
    const g2 = (g1 * 2) / 3;
    const l2 = (l1 * 2 + 0.5) / 3;
    const g3 = (g2 * 2 + 1) / 3;
    const l3 = (l2 * 2) / 3;
    expectSeries(rsi(closes, 3), [
      nan,
      nan,
      nan,
      80,
      (100 * g2) / (g2 + l2),
      (100 * g3) / (g3 + l3),
    ]);
  });

  it('should give RSI 0 when there was neither gain nor loss', () => {
    const out = rsi(new Array<number>(20).fill(1.2345), 14);
    expect(leadingNaN(out)).toBe(14);
    expect([...out.slice(14)]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('should seed both MACD EMAs on windows ending at bar 25 (TA-Lib), not the standalone ema_12', () => {
    // A step: 0 up to bar 19, 1 from bar 20. The fast seed is mean(c[14..25]) = 6/12,
    // the slow seed mean(c[0..25]) = 6/26, so macd[25] = 0.5 - 6/26. A fast EMA seeded
    // on bars 0..11 would instead give 1 - (11/13)^6 - 6/26.
    const closes = Array.from({ length: 40 }, (_, i) => (i < 20 ? 0 : 1));
    const m = macd(closes, 12, 26, 9);
    expect(leadingNaN(m.macd)).toBe(25);
    expect(m.macd[25]).toBeCloseTo(0.5 - 6 / 26, 14);
    const kFast = 2 / 13;
    const kSlow = 2 / 27;
    const fast26 = (1 - 0.5) * kFast + 0.5;
    const slow26 = (1 - 6 / 26) * kSlow + 6 / 26;
    expect(m.macd[26]).toBeCloseTo(fast26 - slow26, 14);
    expect(ema(closes, 12)[25]).toBeCloseTo(1 - (11 / 13) ** 6, 14);
    // signal: mean of the first 9 MACD values, at index 33
    expect(leadingNaN(m.signal)).toBe(33);
    let seed = 0;
    for (let i = 25; i <= 33; i += 1) seed += m.macd[i];
    expect(m.signal[33]).toBeCloseTo(seed / 9, 14);
    expect(m.histogram[33]).toBeCloseTo(m.macd[33] - seed / 9, 14);
    expect(leadingNaN(m.histogram)).toBe(33);
  });

  it('should give a constant MACD on a linear ramp (both EMAs start at their steady-state lag)', () => {
    const closes = Array.from({ length: 60 }, (_, i) => 100 + i);
    const m = macd(closes);
    for (let i = 25; i < 60; i += 1) expect(m.macd[i]).toBeCloseTo(12.5 - 5.5, 10);
    for (let i = 33; i < 60; i += 1) expect(m.histogram[i]).toBeCloseTo(0, 10);
  });

  it('should compute raw %K and Williams %R from the window high/low', () => {
    const high = [3, 4, 5];
    const low = [1, 2, 3];
    const close = [2, 3, 4.5];
    expectSeries(stochastic(high, low, close, 3, 1, 1).k, [nan, nan, 87.5]);
    expectSeries(williamsR(high, low, close, 3), [nan, nan, -12.5]);
  });

  it('should give 0 for stochastic and Williams %R on a flat window', () => {
    const flat = new Array<number>(20).fill(1.1);
    const s = stochastic(flat, flat, flat);
    expect(leadingNaN(s.k)).toBe(15);
    expect(leadingNaN(s.d)).toBe(17);
    expect([...s.k.slice(15)]).toEqual([0, 0, 0, 0, 0]);
    expect([...s.d.slice(17)]).toEqual([0, 0, 0]);
    const w = williamsR(flat, flat, flat);
    expect(leadingNaN(w)).toBe(13);
    expect([...w.slice(13)].every((v) => Object.is(v, 0))).toBe(true);
  });

  it('should scale the annualisation factor with the granularity', () => {
    expect(periodsPerYear('H1', 6240)).toBe(6240);
    expect(periodsPerYear('H4', 6240)).toBe(1560);
    expect(periodsPerYear('D', 6240)).toBe(260);
    expect(periodsPerYear('W', 6240)).toBe(52);
    expect(periodsPerYear('M15', 6240)).toBe(24960);
    expect(() => periodsPerYear('X1', 6240)).toThrow(/granularity/);
  });

  it('should reject a non-integer period', () => {
    expect(() => sma([1, 2], 0)).toThrow(/period/);
    expect(() => ema([1, 2], 1.5)).toThrow(/period/);
  });
});

interface ReferenceCase {
  name: string;
  periods_per_year: number;
  input: { open: number[]; high: number[]; low: number[]; close: number[] };
  expected: Record<MetricColumn, Array<number | null>>;
}

describe('computeMetrics (independent reference, scripts/indicator-reference.py)', () => {
  const fixture = JSON.parse(
    readFileSync(join(process.cwd(), 'test/fixtures/indicator-reference.json'), 'utf8'),
  ) as { cases: ReferenceCase[] };

  it('should have reference cases to compare with', () => {
    expect(fixture.cases.map((c) => c.name)).toEqual(['eurusd_like_400', 'usdjpy_like_45']);
  });

  for (const testCase of fixture.cases) {
    it(`should match every column of ${testCase.name}`, () => {
      const metrics = computeMetrics(testCase.input, testCase.periods_per_year);
      expect(Object.keys(metrics).sort()).toEqual([...METRIC_COLUMNS].sort());
      for (const column of METRIC_COLUMNS) {
        expectSeries(metrics[column], testCase.expected[column], `${testCase.name}.${column}`);
      }
    });
  }

  it('should leave NaN prefixes of exactly the documented length', () => {
    const long = fixture.cases[0];
    const metrics = computeMetrics(long.input, long.periods_per_year);
    for (const column of METRIC_COLUMNS) {
      expect([column, leadingNaN(metrics[column])]).toEqual([column, FIRST_INDEX[column]]);
    }
    const short = computeMetrics(fixture.cases[1].input, 6240);
    expect(leadingNaN(short.volatility_50)).toBe(45);
    expect(leadingNaN(short.macd_signal)).toBe(33);
  });

  it('should give 0 stochastics inside the flat stretch of the reference series', () => {
    const metrics = computeMetrics(fixture.cases[0].input, 6240);
    // bars 200..219 are flat; windows 206..219 see only flat bars
    for (let i = 215; i <= 219; i += 1) {
      expect(metrics.stoch_k[i]).toBe(0);
      expect(metrics.williams_r[i]).toBe(0);
    }
    expect(metrics.volatility_20[219]).toBe(0);
  });

  it('should return all-NaN columns for an empty or one-candle series', () => {
    for (const n of [0, 1]) {
      const series = {
        high: new Array<number>(n).fill(1),
        low: new Array<number>(n).fill(1),
        close: new Array<number>(n).fill(1),
      };
      const metrics = computeMetrics(series, 6240);
      for (const column of METRIC_COLUMNS) expect(leadingNaN(metrics[column])).toBe(n);
    }
  });

  it('should reject columns of different lengths', () => {
    expect(() => computeMetrics({ high: [1, 2], low: [1], close: [1, 2] }, 6240)).toThrow(
      /same length/,
    );
  });
});
