import request from 'supertest';
import { BackfillService } from '../src/ingestion/backfill.service';
import { startTestApp, TestApp } from './utils/test-app';

const NOW = new Date('2026-11-18T12:34:00Z');

/** Large responses compressed on request; candle pages carry an ETag and a Cache-Control that says whether they may change. */
describe('REST compression and caching headers', () => {
  let t: TestApp;
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${t.url}${path}`, { headers });

  beforeAll(async () => {
    t = await startTestApp({}, 'rest_compression');
    const run = await t.app.get(BackfillService).run({
      instruments: ['EUR_USD'],
      granularity: 'H1',
      days: 20,
      now: NOW,
    });
    expect(run.job.status).toBe('success');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('should answer gzip or br as asked, and the same JSON as uncompressed', async () => {
    const path = '/api/v1/candles/EUR_USD?limit=200';
    const plain = await get(path, { 'accept-encoding': 'identity' });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-encoding')).toBeNull();
    const body = await plain.json();
    expect(body.count).toBe(200);
    for (const encoding of ['gzip', 'br']) {
      const res = await get(path, { 'accept-encoding': encoding });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe(encoding);
      expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
      // fetch decodes the body: it must be the very same page.
      expect(await res.json()).toEqual(body);
    }
  });

  it('should leave small responses uncompressed', async () => {
    const res = await get('/api/v1/candles/EUR_USD?limit=1', { 'accept-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBeNull();
  });

  it('should let a closed page be cached, make the newest page revalidate, and answer a matching If-None-Match with 304', async () => {
    const closed = await get('/api/v1/candles/EUR_USD?limit=10');
    expect(closed.headers.get('cache-control')).toBe('private, max-age=3600');
    const etag = closed.headers.get('etag');
    expect(etag).toBeTruthy();
    // supertest, not fetch: fetch adds `Cache-Control: no-cache` to conditional requests, which
    // (rightly) makes the server answer in full.
    const again = await request(t.url)
      .get('/api/v1/candles/EUR_USD?limit=10')
      .set('If-None-Match', etag!);
    expect(again.status).toBe(304);

    const newest = await get(
      `/api/v1/candles/EUR_USD?from=${encodeURIComponent('2026-11-18T00:00:00Z')}`,
    );
    const page = await newest.json();
    expect(page.next_cursor).toBeNull();
    expect(newest.headers.get('cache-control')).toBe('private, no-cache');
    const other = await request(t.url)
      .get('/api/v1/candles/EUR_USD?limit=11')
      .set('If-None-Match', etag!);
    expect(other.status).toBe(200);
  });
});
