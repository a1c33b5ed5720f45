import { averageDecimals, halfOfScaled, scaledToDecimal } from './decimal';

describe('decimal helpers', () => {
  it('should format scaled integers exactly, padding small fractions', () => {
    expect(scaledToDecimal(108512, 5)).toBe('1.08512');
    expect(scaledToDecimal(512, 5)).toBe('0.00512');
    expect(scaledToDecimal(150200, 3)).toBe('150.200');
    expect(scaledToDecimal(-108512, 5)).toBe('-1.08512');
    expect(scaledToDecimal(42, 0)).toBe('42');
  });

  it('should halve doubled units with one extra digit only when needed', () => {
    expect(halfOfScaled(217024, 5)).toBe('1.08512');
    expect(halfOfScaled(217025, 5)).toBe('1.085125');
  });

  it('should average decimal strings exactly without floating point', () => {
    expect(averageDecimals('1.10000', '1.10003')).toBe('1.100015');
    expect(averageDecimals('1.10001', '1.10003')).toBe('1.10002');
    expect(averageDecimals('150.2', '150.215')).toBe('150.2075');
    // 0.1 + 0.2 is the classic float trap: exact here.
    expect(averageDecimals('0.1', '0.2')).toBe('0.15');
    expect(averageDecimals('9007199254740993.00001', '9007199254740993.00003')).toBe(
      '9007199254740993.00002',
    );
  });

  it('should reject strings that are not decimals, naming which one', () => {
    expect(() => averageDecimals('1.1', 'abc')).toThrow(/second value/);
    expect(() => averageDecimals('1e5', '1')).toThrow(/first value/);
  });
});
