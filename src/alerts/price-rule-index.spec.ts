import {
  judgementOf,
  lineOf,
  thresholdsOf,
  type Condition,
  type Frequency,
} from './alert-conditions';
import { type IndexedRule, lowerBound, PriceRuleIndex, upperBound } from './price-rule-index';

const T0 = Date.UTC(2026, 10, 25, 10, 0);
let n = 0;
function rule(
  condition: Condition,
  frequency: Frequency = 'every_time',
  hysteresis = 0.0001,
): IndexedRule {
  const judgement = judgementOf(condition);
  const line = lineOf(condition);
  return {
    id: `r${(n += 1)}`,
    instrument: 'EUR_USD',
    component: 'mid',
    judgement,
    line,
    hysteresis,
    ...thresholdsOf(line, hysteresis, judgement.target),
    policy: { frequency, cooldownSeconds: 0 },
    expiresMs: null,
    side: 0,
    lastTriggeredMs: null,
  };
}
const tick = (mid: number, ms = T0) => ({
  instrument: 'EUR_USD',
  bid: mid,
  ask: mid,
  mid,
  timeMs: ms,
});
const fired = (index: PriceRuleIndex, mid: number, ms = T0): string[] =>
  index.evaluate(tick(mid, ms)).fired.map((f) => f.rule.id);

describe(PriceRuleIndex.name, () => {
  it('should find bounds by binary search', () => {
    const keys = Float64Array.from([1, 2, 2, 3]);
    expect(lowerBound(keys, 2)).toBe(1);
    expect(upperBound(keys, 2)).toBe(3);
    expect(lowerBound(keys, 4)).toBe(4);
  });

  it('should fire a cross_above once when the price crosses, and again only after re-arming', () => {
    const index = new PriceRuleIndex();
    const r = rule({ type: 'price_cross_above', level: 1.095 });
    index.upsert(r);
    expect(fired(index, 1.094)).toEqual([]);
    expect(fired(index, 1.0951, T0 + 1)).toEqual([r.id]);
    // Hovering inside the band (1.0949 < p < 1.095) does not re-arm.
    expect(fired(index, 1.09495, T0 + 2)).toEqual([]);
    expect(fired(index, 1.0952, T0 + 3)).toEqual([]);
    expect(fired(index, 1.0948, T0 + 4)).toEqual([]);
    expect(fired(index, 1.0953, T0 + 5)).toEqual([r.id]);
  });

  it('should give the same firings as a full scan over many rules', () => {
    const a = new PriceRuleIndex();
    const b = new PriceRuleIndex();
    for (let i = 0; i < 300; i += 1) {
      const level = 1.08 + (i % 100) * 0.0003;
      const types = [
        'price_cross_above',
        'price_cross_below',
        'price_above',
        'price_below',
      ] as const;
      const condition = { type: types[i % 4], level };
      const x = rule(condition, i % 3 === 0 ? 'once_per_bar' : 'every_time');
      a.upsert(x);
      b.upsert({ ...x, id: x.id });
    }
    let price = 1.09;
    for (let step = 0; step < 400; step += 1) {
      price += Math.sin(step * 1.7) * 0.0011;
      const ms = T0 + step * 60_000;
      const viaIndex = a
        .evaluate(tick(price, ms))
        .fired.map((f) => f.rule.id)
        .sort();
      const viaScan = b
        .evaluate(tick(price, ms), true)
        .fired.map((f) => f.rule.id)
        .sort();
      expect(viaIndex).toEqual(viaScan);
    }
  });

  it('should refire a holding once_per_bar level rule in the next bar, not within the bar', () => {
    const index = new PriceRuleIndex();
    const r = rule({ type: 'price_above', level: 1.095 }, 'once_per_bar');
    index.upsert(r);
    expect(fired(index, 1.096, T0 + 60_000)).toEqual([r.id]);
    expect(fired(index, 1.0965, T0 + 120_000)).toEqual([]);
    expect(fired(index, 1.0966, T0 + 3_600_000 + 1)).toEqual([r.id]);
  });

  it('should drop a once rule after it fired and keep an expired rule silent', () => {
    const index = new PriceRuleIndex();
    const once = rule({ type: 'price_above', level: 1.095 }, 'once');
    const expired = { ...rule({ type: 'price_above', level: 1.095 }), expiresMs: T0 - 1 };
    index.upsert(once);
    index.upsert(expired);
    expect(fired(index, 1.096)).toEqual([once.id]);
    expect(index.get(once.id)).toBeUndefined();
    expect(fired(index, 1.09, T0 + 1)).toEqual([]);
    expect(fired(index, 1.097, T0 + 2)).toEqual([]);
  });
});
