import { fromCandle, spreadOf, toPriceResponse } from './prices.service';

describe('spreadOf', () => {
  it('should give ask - bid without binary floating-point noise', () => {
    expect(1.0851 - 1.085).not.toBe(0.0001);
    expect(spreadOf(1.085, 1.0851)).toBe(0.0001);
    expect(spreadOf(150.12, 150.135)).toBe(0.015);
    expect(spreadOf(18.6012, 18.6092)).toBe(0.008);
  });
});

describe('toPriceResponse', () => {
  it('should turn a stored candle into the API shape with source "candle"', () => {
    const price = fromCandle({
      instrument: 'USD_JPY',
      bid: '150.120',
      ask: '150.135',
      mid: '150.1275',
      time: new Date('2026-02-02T09:00:00Z'),
    });
    expect(toPriceResponse(price)).toEqual({
      instrument: 'USD_JPY',
      bid: 150.12,
      ask: 150.135,
      mid: 150.1275,
      spread: 0.015,
      time: '2026-02-02T09:00:00.000Z',
      source: 'candle',
    });
  });
});
