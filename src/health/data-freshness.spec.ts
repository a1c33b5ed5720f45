import { isMarketOpen } from '../platform/time';
import { assessFreshness, expectedLatestCandle } from './data-freshness';

const t = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('expectedLatestCandle', () => {
  it.each([
    ['mid-week: the hour that just closed', '2026-03-11T10:01:00Z', '2026-03-11T09:00:00.000Z'],
    ['exactly on the hour', '2026-03-11T10:00:00Z', '2026-03-11T09:00:00.000Z'],
    [
      'Saturday: the last candle before the Friday close',
      '2026-03-14T12:00:00Z',
      '2026-03-13T20:00:00.000Z',
    ],
    ['Sunday before the open', '2026-03-15T20:30:00Z', '2026-03-13T20:00:00.000Z'],
    ['Sunday one hour after the open', '2026-03-15T22:05:00Z', '2026-03-15T21:00:00.000Z'],
  ])('should expect %s', (_why, now, expected) => {
    expect(iso(expectedLatestCandle(t(now), isMarketOpen))).toBe(expected);
  });
});

describe('assessFreshness', () => {
  const instruments = ['EUR_USD', 'GBP_USD', 'USD_JPY'];

  it('should call a candle one hour behind fresh and three hours behind stale', () => {
    const report = assessFreshness({
      now: t('2026-03-11T10:01:00Z'),
      instruments,
      isMarketOpen,
      lastComplete: new Map([
        ['EUR_USD', new Date('2026-03-11T08:00:00Z')],
        ['GBP_USD', new Date('2026-03-11T06:00:00Z')],
      ]),
    });
    expect(report.instruments.map((i) => [i.instrument, i.status, i.lag_seconds])).toEqual([
      ['EUR_USD', 'fresh', 3600],
      ['GBP_USD', 'stale', 10800],
      ['USD_JPY', 'missing', null],
    ]);
    expect(report.stale).toEqual(['GBP_USD']);
    expect(report.missing).toEqual(['USD_JPY']);
    expect(report.market_open).toBe(true);
    expect(report.instruments[0].age_seconds).toBe(3660);
  });

  it('should not call Friday evening data stale on a Saturday', () => {
    const report = assessFreshness({
      now: t('2026-03-14T15:00:00Z'),
      instruments: ['EUR_USD'],
      isMarketOpen,
      lastComplete: new Map([['EUR_USD', new Date('2026-03-13T20:00:00Z')]]),
    });
    expect(report.market_open).toBe(false);
    expect(report.instruments[0].status).toBe('fresh');
    expect(report.instruments[0].lag_seconds).toBe(0);
  });

  it('should call data from Thursday stale on a Saturday', () => {
    const report = assessFreshness({
      now: t('2026-03-14T15:00:00Z'),
      instruments: ['EUR_USD'],
      isMarketOpen,
      lastComplete: new Map([['EUR_USD', new Date('2026-03-12T20:00:00Z')]]),
    });
    expect(report.stale).toEqual(['EUR_USD']);
  });
});
