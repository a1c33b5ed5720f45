import type { ProviderCandle } from '../market-data';
import { assertValidCandles, candleProblems, InvalidCandleError } from './candle-validation';

const good = (): ProviderCandle => ({
  instrument: 'EUR_USD',
  granularity: 'H1',
  time: new Date('2026-03-04T10:00:00Z'),
  bid: { o: '1.08505', h: '1.08637', l: '1.08464', c: '1.08590' },
  ask: { o: '1.08519', h: '1.08651', l: '1.08478', c: '1.08604' },
  mid: { o: '1.08512', h: '1.08644', l: '1.08471', c: '1.08597' },
  volume: 1834,
  complete: true,
});

describe('candleProblems', () => {
  it('should accept a well-formed candle', () => {
    expect(candleProblems(good())).toEqual([]);
  });

  it.each<[string, (c: ProviderCandle) => void, RegExp]>([
    ['bid above ask', (c) => (c.bid.c = '1.09000'), /bid\.c 1\.09000 > ask\.c/],
    ['high below low', (c) => (c.mid.h = '1.08000'), /mid high 1\.08000 < low/],
    ['open outside the range', (c) => (c.ask.o = '1.09999'), /ask open 1\.09999/],
    ['a non-decimal price', (c) => (c.mid.o = 'NaN'), /mid\.o "NaN" is not a positive decimal/],
    ['an exponent', (c) => (c.bid.l = '1e3'), /bid\.l "1e3"/],
    ['a zero price', (c) => (c.bid.l = '0.00000'), /bid\.l "0\.00000"/],
    [
      'an unknown granularity',
      (c) => ((c as { granularity: string }).granularity = 'H7'),
      /unknown granularity H7/,
    ],
    ['a bad time', (c) => (c.time = new Date('nope')), /time is not a valid date/],
    ['a negative volume', (c) => (c.volume = -1), /volume -1/],
    ['a malformed instrument', (c) => (c.instrument = 'EURUSD'), /instrument is malformed/],
  ])('should reject %s', (_label, mutate, message) => {
    const c = good();
    mutate(c);
    expect(candleProblems(c).join('; ')).toMatch(message);
  });
});

describe('assertValidCandles', () => {
  it('should name instrument, granularity and time of every bad candle', () => {
    const bad = good();
    bad.bid.h = '2.00000';
    let error: unknown;
    try {
      assertValidCandles([good(), bad]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidCandleError);
    expect((error as Error).message).toMatch(/EUR_USD H1 2026-03-04T10:00:00\.000Z: .*bid/);
    expect((error as InvalidCandleError).invalid).toHaveLength(1);
  });
});
