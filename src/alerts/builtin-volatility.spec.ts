import { evaluateVolatilityAlert } from './builtin-volatility';

describe('evaluateVolatilityAlert', () => {
  const rules = { warningRatio: 1.5, criticalRatio: 2 };

  it('should stay quiet below the warning ratio or without volatility_20', () => {
    expect(evaluateVolatilityAlert('EUR_USD', 0.14, 0.1, rules)).toBeNull();
    expect(evaluateVolatilityAlert('EUR_USD', null, 0.1, rules)).toBeNull();
  });

  it('should warn at 1.5x and be critical at 2x the 50-hour volatility', () => {
    expect(evaluateVolatilityAlert('EUR_USD', 0.15, 0.1, rules)).toMatchObject({
      severity: 'warning',
      threshold: 1.5,
      kind: 'ratio',
    });
    const critical = evaluateVolatilityAlert('EUR_USD', 0.2, 0.1, rules);
    expect(critical).toMatchObject({ severity: 'critical', threshold: 2 });
    expect(critical?.value).toBeCloseTo(2, 12);
    expect(critical?.message).toContain('EUR_USD volatility is 2.00x');
  });

  it('should warn above a configured absolute level even when the ratio is calm', () => {
    expect(
      evaluateVolatilityAlert('USD_ZAR', 0.31, 0.3, { ...rules, absolute: 0.3 }),
    ).toMatchObject({
      severity: 'warning',
      kind: 'absolute',
      threshold: 0.3,
      value: 0.31,
    });
    expect(evaluateVolatilityAlert('USD_ZAR', 0.31, null, { ...rules, absolute: 0.3 })?.kind).toBe(
      'absolute',
    );
  });
});
