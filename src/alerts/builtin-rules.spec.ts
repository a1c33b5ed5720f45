import { builtinDefinitions, builtinKindOf, type BuiltinSettings } from './builtin-rules';

const SETTINGS: BuiltinSettings = {
  instruments: ['USD_JPY', 'EUR_USD', 'GBP_USD'],
  volatilityWarningRatio: 1.5,
  volatilityCriticalRatio: 2,
  volatilityAbsolute: new Map([['GBP_USD', 0.3]]),
  correlationAlertChange: 0.2,
  correlationAlertLevel: 0.7,
  correlationAlertHysteresis: 0.02,
  correlationAlertCooldownHours: 24,
};

describe('builtinDefinitions', () => {
  it('should define a volatility rule per instrument and a correlation rule per ordered pair', () => {
    const defs = builtinDefinitions(SETTINGS);
    expect(defs.map((d) => d.builtin)).toEqual([
      'volatility:EUR_USD',
      'volatility:GBP_USD',
      'volatility:USD_JPY',
      'correlation:EUR_USD|GBP_USD',
      'correlation:EUR_USD|USD_JPY',
      'correlation:GBP_USD|USD_JPY',
    ]);
    expect(defs.map((d) => builtinKindOf(d.builtin))).toEqual([
      'volatility',
      'volatility',
      'volatility',
      'correlation',
      'correlation',
      'correlation',
    ]);
  });

  it('should carry the settings into the conditions, cooldown and hysteresis', () => {
    const defs = builtinDefinitions(SETTINGS);
    expect(defs.find((d) => d.builtin === 'volatility:GBP_USD')).toMatchObject({
      condition: { type: 'volatility_ratio_above', level: 1.5, critical: 2, absolute: 0.3 },
      frequency: 'once_per_bar',
    });
    expect(defs.find((d) => d.builtin === 'volatility:EUR_USD')?.condition).not.toHaveProperty(
      'absolute',
    );
    expect(defs.find((d) => d.builtin === 'correlation:EUR_USD|USD_JPY')).toMatchObject({
      instrument: 'EUR_USD',
      instrument2: 'USD_JPY',
      condition: { type: 'correlation_move', level: 0.7, change: 0.2 },
      frequency: 'every_time',
      cooldownSeconds: 86_400,
      hysteresis: 0.02,
    });
  });
});
