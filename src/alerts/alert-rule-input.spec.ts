import { type InputContext, resolveRule } from './alert-rule-input';

const ctx: InputContext = {
  isTracked: (i) => ['EUR_USD', 'USD_CHF', 'USD_JPY'].includes(i),
  correlationWindows: [100, 200],
  pipOf: (i) => (i.endsWith('JPY') ? 0.01 : 0.0001),
  nowMs: Date.UTC(2026, 10, 25),
};

describe(resolveRule.name, () => {
  it('should default the hysteresis to one pip for prices and 0.02 for correlation', () => {
    const price = resolveRule(
      { instrument: 'USD_JPY', condition: { type: 'price_cross_above', level: 150 } },
      null,
      ctx,
    );
    expect(price.ok && price.rule.hysteresis).toBe(0.01);
    const corr = resolveRule(
      {
        instruments: ['USD_CHF', 'EUR_USD'],
        condition: { type: 'correlation_below', level: -0.4, window: 100 },
      },
      null,
      ctx,
    );
    expect(corr.ok && [corr.rule.instrument, corr.rule.instrument2, corr.rule.hysteresis]).toEqual([
      'EUR_USD',
      'USD_CHF',
      0.02,
    ]);
  });

  it('should name every bad field', () => {
    const result = resolveRule(
      {
        instrument: 'EUR_XXX',
        condition: { type: 'rsi_above', level: 120, window: 5 },
        expires_at: '2020-01-01T00:00:00Z',
      },
      null,
      ctx,
    );
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toContain(
      'condition.window is not a parameter of rsi_above (it takes: level)',
    );
    const again = resolveRule(
      { instrument: 'EUR_XXX', condition: { type: 'rsi_above', level: 120 } },
      null,
      ctx,
    );
    expect(again.ok ? [] : again.problems).toEqual([
      'condition.level must be from 0 to 100',
      'instrument: "EUR_XXX" is not tracked by this service',
    ]);
    const missing = resolveRule(
      { instrument: 'EUR_USD', condition: { type: 'correlation_above', level: 0.5, window: 100 } },
      null,
      ctx,
    );
    expect(missing.ok ? [] : missing.problems).toContain(
      'instrument: a correlation rule names "instruments": [pair1, pair2]',
    );
  });

  it('should refuse an expiry in the past and a condition without its parameters', () => {
    const past = resolveRule(
      {
        instrument: 'EUR_USD',
        condition: { type: 'price_above', level: 1.1 },
        expires_at: '2020-01-01T00:00:00Z',
      },
      null,
      ctx,
    );
    expect(past.ok ? [] : past.problems).toEqual(['expires_at must be in the future']);
    const noLevel = resolveRule(
      { instrument: 'EUR_USD', condition: { type: 'price_above' } },
      null,
      ctx,
    );
    expect(noLevel.ok ? [] : noLevel.problems).toEqual([
      'condition.level is required for price_above',
    ]);
  });

  it('should refuse a null level (a form sending Number("abc") sends null) instead of reading it as 0', () => {
    const nullLevel = resolveRule(
      // JSON has no NaN: JSON.stringify turns it into null.
      JSON.parse(
        JSON.stringify({ instrument: 'USD_JPY', condition: { type: 'rsi_above', level: NaN } }),
      ),
      null,
      ctx,
    );
    expect(nullLevel.ok ? [] : nullLevel.problems).toEqual([
      'condition.level is required for rsi_above',
    ]);
  });
});
