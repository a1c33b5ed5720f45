/** How long a client may reuse a closed page without asking again. */
export const CLOSED_PAGE_MAX_AGE_S = 3600;

/**
 * Cache-Control for one JSON page of candles. A page is closed when every
 * candle in it is complete and later candles exist (there is a next page, or
 * the request's `to` is before its last candle's successor): nothing the sync
 * does can change it any more, so a client may keep it for an hour. Anything
 * else (the newest candles, still forming; an empty page that a sync may fill)
 * must be revalidated, which the ETag makes a cheap 304. `private`: answers
 * are per API key, so shared caches must not keep them.
 */
export function candlePageCacheControl(page: {
  /** `time` in epoch ms. */
  candles: readonly { time: number; complete: boolean }[];
  next_cursor: string | null;
  to?: Date;
}): string {
  const { candles } = page;
  if (candles.length === 0 || !candles.every((c) => c.complete)) return 'private, no-cache';
  const last = candles[candles.length - 1].time;
  const closed = page.next_cursor !== null || (page.to !== undefined && page.to.getTime() <= last);
  return closed ? `private, max-age=${CLOSED_PAGE_MAX_AGE_S}` : 'private, no-cache';
}
