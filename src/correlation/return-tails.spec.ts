import { pairCorrelation, type PriceSeries } from './pearson';
import { groupTails, returnTail, tailCorrelation } from './return-tails';

/** Deterministic random walk (mulberry32), so a failure is reproducible. */
function walk(seed: number, times: readonly number[], start = 1.1): PriceSeries {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let price = start;
  const close = times.map(() => {
    // Rounded to 5 decimals like stored mid closes, so flat hours occur too.
    price = Math.round(price * Math.exp((uniform() - 0.5) * 0.002) * 1e5) / 1e5;
    return price;
  });
  return { times: Float64Array.from(times), close: Float64Array.from(close) };
}

const HOURS = Array.from({ length: 400 }, (_, i) => 1_700_000_000_000 + i * 3_600_000);

describe('return tails', () => {
  it('should give bit for bit the r and sample size of pairCorrelation for pairs ending on the same times', () => {
    const series = Array.from({ length: 12 }, (_, i) => walk(i + 1, HOURS, 1 + i / 10));
    for (const window of [2, 100, 200]) {
      const tails = series.map((s) => returnTail(s, window)!);
      expect(groupTails(tails)).toBe(1);
      for (let p = 0; p < series.length; p += 1) {
        for (let q = p + 1; q < series.length; q += 1) {
          const expected = pairCorrelation(series[p], series[q], window);
          expect(expected.sampleSize).toBe(window);
          // toBe: Object.is, so the last bit counts, not a tolerance.
          expect(tailCorrelation(tails[p], tails[q])).toBe(expected.correlation);
        }
      }
    }
  });

  it('should also match when one series has older history the other lacks', () => {
    const long = walk(7, HOURS);
    const short = walk(8, HOURS.slice(150));
    const [a, b] = [returnTail(long, 100)!, returnTail(short, 100)!];
    expect(groupTails([a, b])).toBe(1);
    expect(tailCorrelation(a, b)).toBe(pairCorrelation(long, short, 100).correlation);
  });

  it('should put a series missing a bar inside the window in another group, and refuse to pair across groups', () => {
    const full = walk(3, HOURS);
    const gapped = walk(4, [...HOURS.slice(0, 350), ...HOURS.slice(351)]);
    const [a, b] = [returnTail(full, 100)!, returnTail(gapped, 100)!];
    expect(groupTails([a, b])).toBe(2);
    expect(a.group).not.toBe(b.group);
    expect(() => tailCorrelation(a, b)).toThrow(/different times/);
  });

  it('should be NaN for a flat series, and null for fewer than W + 1 candles', () => {
    const flat = {
      times: Float64Array.from(HOURS),
      close: new Float64Array(HOURS.length).fill(1.2),
    };
    const moving = walk(5, HOURS);
    const [a, b] = [returnTail(flat, 50)!, returnTail(moving, 50)!];
    groupTails([a, b]);
    expect(tailCorrelation(a, b)).toBeNaN();
    expect(pairCorrelation(flat, moving, 50).correlation).toBeNaN();
    expect(returnTail(walk(6, HOURS.slice(0, 50)), 50)).toBeNull();
    expect(returnTail(walk(6, HOURS.slice(0, 51)), 50)).not.toBeNull();
  });
});
