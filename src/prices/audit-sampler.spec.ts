import type { PriceTick } from '../market-data';
import { AuditSampler, maxAuditRowsPerDay } from './audit-sampler';

const T0 = Date.parse('2026-11-25T10:00:00.000Z');

const tick = (instrument: string, ms: number, mid: string): PriceTick => ({
  instrument,
  time: new Date(T0 + ms),
  bid: mid,
  ask: mid,
  mid,
});

/** A fake clock: the test moves time; the sampler only sees the values it is handed. */
function clock() {
  let now = T0;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
      return now;
    },
  };
}

const mids = (ticks: PriceTick[]): string[] => ticks.map((t) => `${t.instrument}@${t.mid}`);

describe(AuditSampler.name, () => {
  it('should keep only the last price of each interval per instrument', () => {
    const sampler = new AuditSampler(1000);
    const out: PriceTick[] = [];
    // 72 ticks/s for 3 s over 2 instruments: 36 each per second.
    for (let k = 0; k < 108; k += 1) {
      const ms = (k * 1000) / 36;
      out.push(...sampler.offer(tick('EUR_USD', ms, `e${Math.floor(ms)}`)));
      out.push(...sampler.offer(tick('GBP_USD', ms, `g${Math.floor(ms)}`)));
    }
    out.push(...sampler.drain());
    expect(out).toHaveLength(6);
    const intervals = out.map(
      (t) => `${t.instrument}:${Math.floor((t.time.getTime() - T0) / 1000)}`,
    );
    expect(new Set(intervals).size).toBe(6);
    // The last tick of second 0 was at 972 ms (35 x 27.78 ms).
    expect(mids(out.filter((t) => t.instrument === 'EUR_USD'))).toEqual([
      'EUR_USD@e972',
      'EUR_USD@e1972',
      'EUR_USD@e2972',
    ]);
    expect(sampler.sampledOut).toBe(216 - 6);
  });

  it('should write a quiet instrument once its interval has ended by the clock', () => {
    const sampler = new AuditSampler(1000);
    const c = clock();
    expect(sampler.offer(tick('USD_JPY', 100, 'a'))).toEqual([]);
    expect(sampler.offer(tick('USD_JPY', 700, 'b'))).toEqual([]);
    expect(sampler.due(c.advance(999))).toEqual([]);
    expect(mids(sampler.due(c.advance(1)))).toEqual(['USD_JPY@b']);
    expect(sampler.due(c.advance(5000))).toEqual([]);
  });

  it('should never write a second row for an interval already written', () => {
    const sampler = new AuditSampler(1000);
    const c = clock();
    sampler.offer(tick('EUR_USD', 500, 'a'));
    expect(mids(sampler.due(c.advance(1000)))).toEqual(['EUR_USD@a']);
    // A late tick of the interval just written (provider clock behind ours) is dropped.
    expect(sampler.offer(tick('EUR_USD', 900, 'late'))).toEqual([]);
    expect(sampler.drain()).toEqual([]);
    sampler.offer(tick('EUR_USD', 1200, 'b'));
    expect(mids(sampler.drain())).toEqual(['EUR_USD@b']);
  });

  it('should keep the latest tick of an interval when ticks arrive out of order', () => {
    const sampler = new AuditSampler(1000);
    sampler.offer(tick('EUR_USD', 800, 'later'));
    sampler.offer(tick('EUR_USD', 300, 'earlier'));
    expect(mids(sampler.offer(tick('EUR_USD', 1100, 'next')))).toEqual(['EUR_USD@later']);
  });

  it('should write every tick when the interval is 0', () => {
    const sampler = new AuditSampler(0);
    expect(sampler.offer(tick('EUR_USD', 1, 'a'))).toHaveLength(1);
    expect(sampler.offer(tick('EUR_USD', 2, 'b'))).toHaveLength(1);
    expect(sampler.due(T0 + 10_000)).toEqual([]);
    expect(sampler.drain()).toEqual([]);
  });

  it('should bound the rows per day by instruments x intervals per day', () => {
    expect(maxAuditRowsPerDay(20, 1000)).toBe(1_728_000);
    expect(maxAuditRowsPerDay(20, 24_000)).toBe(72_000);
  });
});
