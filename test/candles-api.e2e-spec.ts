import request from 'supertest';
import { BackfillService } from '../src/ingestion/backfill.service';
import { CandlesController } from '../src/candles/candles.controller';
import { CandleReader } from '../src/candles/candle-reader.store';
import { parsePriceComponents, toCandleJson } from '../src/candles/candle-format';
import { startTestApp, TestApp } from './utils/test-app';

const NOW = new Date('2026-11-18T12:34:00Z');

interface Row {
  time: Date;
  open_mid: string;
  close_mid: string;
  high_bid: string;
  low_ask: string;
  volume: number;
}

describe(CandlesController.name, () => {
  let t: TestApp;
  let stored: Row[];

  const body = (path: string) => request(t.url).get(path);
  const message = (res: request.Response): string =>
    ([] as string[]).concat(res.body.message).join('; ');

  beforeAll(async () => {
    t = await startTestApp({}, 'candles_api');
    const run = await t.app.get(BackfillService).run({
      instruments: ['EUR_USD', 'USD_JPY'],
      granularity: 'H1',
      days: 20,
      now: NOW,
    });
    expect(run.job.status).toBe('success');
    stored = await t.dataSource.query(
      `SELECT time, open_mid::text, close_mid::text, high_bid::text, low_ask::text, volume
       FROM oanda_candles WHERE instrument = 'EUR_USD' ORDER BY time`,
    );
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('GET /api/v1/instruments', () => {
    it('should list tracked instruments with precision, pip location and stored coverage', async () => {
      const res = await body('/api/v1/instruments').expect(200);
      expect(res.body.count).toBe(20);
      const eur = res.body.instruments.find((i: { name: string }) => i.name === 'EUR_USD');
      expect(eur).toEqual({
        name: 'EUR_USD',
        display_name: 'EUR/USD',
        base: 'EUR',
        quote: 'USD',
        display_precision: 5,
        pip_location: -4,
        pip_size: 0.0001,
        candle_count: stored.length,
        first_candle: stored[0].time.toISOString(),
        last_candle: stored[stored.length - 1].time.toISOString(),
      });
      const jpy = res.body.instruments.find((i: { name: string }) => i.name === 'USD_JPY');
      expect(jpy).toMatchObject({ display_precision: 3, pip_location: -2, pip_size: 0.01 });
      const gbp = res.body.instruments.find((i: { name: string }) => i.name === 'GBP_USD');
      expect(gbp).toMatchObject({ candle_count: 0, first_candle: null, last_candle: null });
    });

    it('should reject an unknown granularity naming it', async () => {
      const res = await body('/api/v1/instruments?granularity=X9').expect(400);
      expect(message(res)).toMatch(/granularity must be one of/);
    });
  });

  describe('GET /api/v1/candles/:instrument', () => {
    it('should return mid candles ascending with numbers, default limit and no next page', async () => {
      expect(stored.length).toBeGreaterThan(300);
      expect(stored.length).toBeLessThan(500);
      const res = await body('/api/v1/candles/EUR_USD').expect(200);
      expect(res.body).toMatchObject({
        instrument: 'EUR_USD',
        granularity: 'H1',
        price: 'M',
        count: stored.length,
        next_cursor: null,
      });
      const first = res.body.candles[0];
      expect(Object.keys(first).sort()).toEqual(['complete', 'mid', 'time', 'volume']);
      expect(first).toEqual({
        time: stored[0].time.toISOString(),
        volume: stored[0].volume,
        complete: true,
        mid: expect.objectContaining({
          o: Number(stored[0].open_mid),
          c: Number(stored[0].close_mid),
        }),
      });
      const times = res.body.candles.map((c: { time: string }) => c.time);
      expect(times).toEqual([...times].sort());
    });

    it('should page through everything with the cursor, without duplicates or omissions', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: request.Response = await body(
          `/api/v1/candles/EUR_USD?limit=37${cursor ? `&cursor=${cursor}` : ''}`,
        ).expect(200);
        expect(res.body.count).toBeLessThanOrEqual(37);
        seen.push(...res.body.candles.map((c: { time: string }) => c.time));
        cursor = res.body.next_cursor;
        pages += 1;
      } while (cursor && pages < 100);
      expect(seen).toEqual(stored.map((r) => r.time.toISOString()));
      expect(pages).toBe(Math.ceil(stored.length / 37));
    });

    it('should honour inclusive from and to', async () => {
      const from = stored[10].time.toISOString();
      const to = stored[14].time.toISOString();
      const res = await body(`/api/v1/candles/EUR_USD?from=${from}&to=${to}`).expect(200);
      expect(res.body.candles.map((c: { time: string }) => c.time)).toEqual(
        stored.slice(10, 15).map((r) => r.time.toISOString()),
      );
    });

    it('should return only the requested price components', async () => {
      const res = await body('/api/v1/candles/EUR_USD?price=BA&limit=1').expect(200);
      const [c] = res.body.candles;
      expect(res.body.price).toBe('BA');
      expect(c.mid).toBeUndefined();
      expect(c.bid.h).toBe(Number(stored[0].high_bid));
      expect(c.ask.l).toBe(Number(stored[0].low_ask));
      expect(c.bid.h).toBeLessThanOrEqual(c.ask.h);
      const all = await body('/api/v1/candles/EUR_USD?price=MBA&limit=1').expect(200);
      expect(Object.keys(all.body.candles[0])).toEqual([
        'time',
        'volume',
        'complete',
        'mid',
        'bid',
        'ask',
      ]);
    });

    it('should send, byte for byte, what shaping the stored rows in JavaScript gives (PostgreSQL renders the JSON)', async () => {
      const reader = t.app.get(CandleReader);
      for (const instrument of ['EUR_USD', 'USD_JPY'])
        for (const price of ['M', 'B', 'A', 'BA', 'MBA']) {
          const res = await body(`/api/v1/candles/${instrument}?price=${price}&limit=5000`).expect(
            200,
          );
          expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
          const rows = await reader.page({ instrument, granularity: 'H1' }, 5000);
          expect(rows.length).toBeGreaterThan(300);
          const components = parsePriceComponents(price);
          const reference = JSON.stringify({
            instrument,
            granularity: 'H1',
            price,
            count: rows.length,
            candles: rows.map((r) => toCandleJson(r, components)),
            next_cursor: null,
          });
          expect(res.text).toBe(reference);
        }
    });

    it('should stream CSV with a header and the exact stored decimals', async () => {
      const res = await body('/api/v1/candles/EUR_USD?format=csv').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(/EUR_USD_H1\.csv/);
      // Streamed: no length known up front.
      expect(res.headers['content-length']).toBeUndefined();
      const lines = res.text.trimEnd().split('\n');
      expect(lines[0]).toBe('time,volume,complete,open_mid,high_mid,low_mid,close_mid');
      expect(lines).toHaveLength(stored.length + 1);
      const [time, volume, complete, open, , , close] = lines[1].split(',');
      expect([time, Number(volume), complete, open, close]).toEqual([
        stored[0].time.toISOString(),
        stored[0].volume,
        'true',
        stored[0].open_mid,
        stored[0].close_mid,
      ]);
    });

    it('should cap CSV at an explicit limit and continue after a cursor', async () => {
      const page = await body('/api/v1/candles/EUR_USD?limit=5').expect(200);
      const res = await body(
        `/api/v1/candles/EUR_USD?format=csv&price=MBA&limit=3&cursor=${page.body.next_cursor}`,
      ).expect(200);
      const lines = res.text.trimEnd().split('\n');
      expect(lines[0].split(',')).toHaveLength(15);
      expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(
        stored.slice(5, 8).map((r) => r.time.toISOString()),
      );
    });

    it('should answer an empty range with an empty page and a header-only CSV', async () => {
      const json = await body('/api/v1/candles/EUR_USD?from=2020-01-01&to=2020-01-02').expect(200);
      expect(json.body).toMatchObject({ count: 0, candles: [], next_cursor: null });
      const csv = await body(
        '/api/v1/candles/EUR_USD?from=2020-01-01&to=2020-01-02&format=csv',
      ).expect(200);
      expect(csv.text).toBe('time,volume,complete,open_mid,high_mid,low_mid,close_mid\n');
    });

    it.each([
      ['/api/v1/candles/eur_usd', /instrument must be an OANDA instrument name/],
      ['/api/v1/candles/EURUSD', /instrument/],
      ['/api/v1/candles/EUR_USD?granularity=H7', /granularity must be one of/],
      ['/api/v1/candles/EUR_USD?from=yesterday', /from must be an ISO-8601/],
      ['/api/v1/candles/EUR_USD?to=2026-02-30', /to is not a valid calendar date-time: day 30/],
      ['/api/v1/candles/EUR_USD?from=2026-11-10&to=2026-11-09', /from must not be after to/],
      ['/api/v1/candles/EUR_USD?limit=0', /limit must be between 1 and 5000/],
      ['/api/v1/candles/EUR_USD?limit=5001', /limit must be between 1 and 5000/],
      ['/api/v1/candles/EUR_USD?limit=ten', /limit must be an integer/],
      ['/api/v1/candles/EUR_USD?cursor=not-a-cursor', /cursor is invalid/],
      ['/api/v1/candles/EUR_USD?price=X', /price must be M, B, A/],
      ['/api/v1/candles/EUR_USD?format=xml', /format must be one of json, csv/],
      ['/api/v1/candles/EUR_USD?colour=red', /property colour should not exist/],
    ])('should answer %s with 400 naming the field', async (path, expected) => {
      const res = await body(path).expect(400);
      expect(message(res)).toMatch(expected);
    });

    it('should answer 404 for an instrument that is not tracked', async () => {
      const res = await body('/api/v1/candles/EUR_SEK').expect(404);
      expect(message(res)).toMatch(/EUR_SEK is not tracked/);
    });

    it('should document both routes with examples in Swagger', async () => {
      const res = await body('/docs-json').expect(200);
      const candles = res.body.paths['/api/v1/candles/{instrument}'].get;
      expect(candles.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining([
          'instrument',
          'granularity',
          'from',
          'to',
          'limit',
          'cursor',
          'price',
          'format',
        ]),
      );
      expect(candles.responses['200'].content['text/csv']).toBeDefined();
      expect(candles.responses['200'].content['application/json'].example.candles).toHaveLength(2);
      const instruments = res.body.paths['/api/v1/instruments'].get.responses['200'];
      expect(instruments.content['application/json'].example.instruments[0].name).toBe('EUR_USD');
      expect(res.body.components.schemas.CandlesResponseDto.properties.next_cursor).toBeDefined();
    });
  });
});
