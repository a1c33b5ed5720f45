import { candlePageCacheControl, CLOSED_PAGE_MAX_AGE_S } from './candle-cache-policy';

const candle = (time: string, complete = true) => ({ time: Date.parse(time), complete });

describe(candlePageCacheControl.name, () => {
  const closed = `private, max-age=${CLOSED_PAGE_MAX_AGE_S}`;

  it('should let a page of complete candles with a next page be cached', () => {
    expect(
      candlePageCacheControl({
        candles: [candle('2026-01-05T10:00:00.000Z'), candle('2026-01-05T11:00:00.000Z')],
        next_cursor: 'abc',
      }),
    ).toBe(closed);
  });

  it('should treat a page ending at its `to` bound as closed', () => {
    expect(
      candlePageCacheControl({
        candles: [candle('2026-01-05T11:00:00.000Z')],
        next_cursor: null,
        to: new Date('2026-01-05T11:00:00.000Z'),
      }),
    ).toBe(closed);
  });

  it('should make the newest page, an incomplete candle or an empty page revalidate', () => {
    const newest = { candles: [candle('2026-01-05T11:00:00.000Z')], next_cursor: null };
    expect(candlePageCacheControl(newest)).toBe('private, no-cache');
    expect(
      candlePageCacheControl({
        candles: [candle('2026-01-05T11:00:00.000Z', false)],
        next_cursor: 'abc',
      }),
    ).toBe('private, no-cache');
    expect(candlePageCacheControl({ candles: [], next_cursor: 'abc' })).toBe('private, no-cache');
    expect(
      candlePageCacheControl({
        candles: [candle('2026-01-05T10:00:00.000Z')],
        next_cursor: null,
        to: new Date('2026-01-05T12:00:00.000Z'),
      }),
    ).toBe('private, no-cache');
  });
});
