import { assessFreshness } from '../data-freshness';
import { freshnessSamples } from './freshness-samples';

describe('freshnessSamples', () => {
  const alwaysOpen = (): boolean => true;
  const now = Date.parse('2026-03-04T12:10:00Z');

  it('should give the lag in seconds and the last candle time per instrument', () => {
    const report = assessFreshness({
      now,
      instruments: ['EUR_USD', 'GBP_USD'],
      lastComplete: new Map([
        ['EUR_USD', new Date('2026-03-04T11:00:00Z')],
        ['GBP_USD', new Date('2026-03-04T08:00:00Z')],
      ]),
      isMarketOpen: alwaysOpen,
    });
    expect(freshnessSamples(report)).toEqual([
      {
        instrument: 'EUR_USD',
        lagSeconds: 0,
        lastCandleSeconds: Date.parse('2026-03-04T11:00:00Z') / 1000,
      },
      {
        instrument: 'GBP_USD',
        lagSeconds: 3 * 3600,
        lastCandleSeconds: Date.parse('2026-03-04T08:00:00Z') / 1000,
      },
    ]);
  });

  it('should report an instrument without candles as +Inf with no last time', () => {
    const report = assessFreshness({
      now,
      instruments: ['USD_JPY'],
      lastComplete: new Map(),
      isMarketOpen: alwaysOpen,
    });
    expect(freshnessSamples(report)).toEqual([
      { instrument: 'USD_JPY', lagSeconds: Number.POSITIVE_INFINITY, lastCandleSeconds: null },
    ]);
  });
});
