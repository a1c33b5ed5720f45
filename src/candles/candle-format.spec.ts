import {
  csvHeader,
  csvRow,
  parsePriceComponents,
  PRICE_PATTERN,
  toCandleJson,
  type CandleRow,
} from './candle-format';

const row: CandleRow = {
  time: new Date('2026-03-04T10:00:00Z'),
  volume: 1834,
  complete: true,
  open_mid: '1.085120',
  high_mid: '1.08644',
  low_mid: '1.08471',
  close_mid: '1.08597',
  open_bid: '1.08505',
  high_bid: '1.08637',
  low_bid: '1.08464',
  close_bid: '1.08590',
  open_ask: '1.08519',
  high_ask: '1.08651',
  low_ask: '1.08478',
  close_ask: '1.08604',
};

describe('price components', () => {
  it.each([
    ['M', true],
    ['B', true],
    ['A', true],
    ['MBA', true],
    ['BA', true],
    ['MA', true],
    ['', false],
    ['X', false],
    ['AB', false],
    ['MM', false],
    ['m', false],
  ])('should accept %s: %s', (price, ok) => {
    expect(PRICE_PATTERN.test(price)).toBe(ok);
  });

  it('should parse letters in OANDA order', () => {
    expect(parsePriceComponents('MBA')).toEqual(['M', 'B', 'A']);
    expect(parsePriceComponents('BA')).toEqual(['B', 'A']);
  });
});

describe('toCandleJson', () => {
  it('should return only the requested components as numbers', () => {
    expect(toCandleJson(row, ['B'])).toEqual({
      time: '2026-03-04T10:00:00.000Z',
      volume: 1834,
      complete: true,
      bid: { o: 1.08505, h: 1.08637, l: 1.08464, c: 1.0859 },
    });
    const all = toCandleJson(row, ['M', 'B', 'A']);
    expect(Object.keys(all)).toEqual(['time', 'volume', 'complete', 'mid', 'bid', 'ask']);
    expect(all.ask?.c).toBe(1.08604);
  });
});

describe('CSV', () => {
  it('should write a header naming the selected columns', () => {
    expect(csvHeader(['M'])).toBe('time,volume,complete,open_mid,high_mid,low_mid,close_mid\n');
    expect(csvHeader(['B', 'A']).trim().split(',')).toHaveLength(11);
  });

  it('should write prices exactly as stored, trailing zeros included', () => {
    expect(csvRow(row, ['M'])).toBe(
      '2026-03-04T10:00:00.000Z,1834,true,1.085120,1.08644,1.08471,1.08597\n',
    );
    expect(csvRow({ ...row, complete: false }, ['A'])).toBe(
      '2026-03-04T10:00:00.000Z,1834,false,1.08519,1.08651,1.08478,1.08604\n',
    );
  });
});
