import { CandleStore } from '../src/candles/candle.store';
import { InvalidCandleError } from '../src/candles/candle-validation';
import { makeCandle, makeCandles } from './factories/candles.factory';
import { startTestApp, TestApp } from './utils/test-app';

describe(CandleStore.name, () => {
  let t: TestApp;
  let store: CandleStore;

  const rows = (instrument: string) =>
    t.dataSource.query(
      `SELECT time, close_mid::text AS close_mid, high_bid::text AS high_bid, complete, volume,
              updated_at, xmin::text AS xmin
       FROM oanda_candles WHERE instrument = $1 ORDER BY time`,
      [instrument],
    );

  beforeAll(async () => {
    t = await startTestApp({}, 'candles_store');
    store = t.app.get(CandleStore);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('should insert new candles and count them', async () => {
    const counts = await store.upsert(
      makeCandles(new Date('2026-03-02T00:00:00Z'), 300, 'EUR_USD'),
    );
    expect(counts).toEqual({ inserted: 300, updated: 0, unchanged: 0 });
    expect(await rows('EUR_USD')).toHaveLength(300);
  });

  it('should change nothing on a rerun: no duplicates, same updated_at and row versions', async () => {
    const before = await rows('EUR_USD');
    const counts = await store.upsert(
      makeCandles(new Date('2026-03-02T00:00:00Z'), 300, 'EUR_USD'),
    );
    expect(counts).toEqual({ inserted: 0, updated: 0, unchanged: 300 });
    expect(await rows('EUR_USD')).toEqual(before);
  });

  it('should write several chunks in one transaction', async () => {
    const counts = await store.upsert(
      makeCandles(new Date('2026-03-02T00:00:00Z'), 320, 'EUR_USD'),
      {
        chunkSize: 100,
      },
    );
    expect(counts).toEqual({ inserted: 20, updated: 0, unchanged: 300 });
  });

  it('should replace a corrected candle and touch only that row', async () => {
    const before = await rows('EUR_USD');
    const time = new Date('2026-03-02T05:00:00Z');
    const corrected = makeCandle({ instrument: 'EUR_USD', time, level: 1.2 });
    const counts = await store.upsert([corrected]);
    expect(counts).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    const after = await rows('EUR_USD');
    const changed = after.filter((r: { xmin: string }, i: number) => r.xmin !== before[i].xmin);
    expect(changed).toHaveLength(1);
    expect(changed[0].time.toISOString()).toBe(time.toISOString());
    expect(changed[0].close_mid).toBe(corrected.mid.c);
    expect(changed[0].updated_at.getTime()).toBeGreaterThanOrEqual(before[5].updated_at.getTime());
  });

  it('should replace an incomplete candle when it completes, but never downgrade a complete one', async () => {
    const time = new Date('2026-03-10T09:00:00Z');
    const forming = makeCandle({ instrument: 'GBP_USD', time, complete: false, volume: 10 });
    expect(await store.upsert([forming])).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    const done = makeCandle({
      instrument: 'GBP_USD',
      time,
      complete: true,
      volume: 80,
      level: 1.09,
    });
    expect(await store.upsert([done])).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    const stale = makeCandle({ instrument: 'GBP_USD', time, complete: false, volume: 5 });
    expect(await store.upsert([stale])).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    const [row] = await rows('GBP_USD');
    expect(row.complete).toBe(true);
    expect(row.volume).toBe(80);
    expect(row.close_mid).toBe(done.mid.c);
  });

  it('should keep stored prices exactly, trailing zeros included', async () => {
    const c = makeCandle({ instrument: 'USD_JPY', time: new Date('2026-03-04T10:00:00Z') });
    c.bid = { o: '150.100', h: '150.250', l: '150.050', c: '150.200' };
    c.ask = { o: '150.112', h: '150.262', l: '150.062', c: '150.212' };
    c.mid = { o: '150.1060', h: '150.2560', l: '150.0560', c: '150.2060' };
    await store.upsert([c]);
    const [row] = await rows('USD_JPY');
    expect(row.high_bid).toBe('150.250');
    expect(row.close_mid).toBe('150.2060');
  });

  it('should collapse duplicates within one call to the last copy', async () => {
    const time = new Date('2026-03-11T09:00:00Z');
    const counts = await store.upsert([
      makeCandle({ instrument: 'AUD_USD', time, level: 0.66 }),
      makeCandle({ instrument: 'AUD_USD', time, level: 0.67 }),
    ]);
    expect(counts.inserted).toBe(1);
    const [row] = await rows('AUD_USD');
    expect(row.close_mid).toBe('0.67020');
  });

  it('should reject a bad candle naming it, and store nothing of that call', async () => {
    const before = await rows('EUR_USD');
    const good = makeCandle({
      instrument: 'EUR_USD',
      time: new Date('2026-03-02T06:00:00Z'),
      level: 1.5,
    });
    const bad = makeCandle({ instrument: 'EUR_USD', time: new Date('2026-03-02T07:00:00Z') });
    bad.bid.c = '9.99999';
    await expect(store.upsert([good, bad])).rejects.toThrow(InvalidCandleError);
    await expect(store.upsert([good, bad])).rejects.toThrow(
      /EUR_USD H1 2026-03-02T07:00:00\.000Z: .*bid/,
    );
    expect(await rows('EUR_USD')).toEqual(before);
  });

  it('should count stored candles in the Prometheus metrics', async () => {
    const res = await fetch(`${t.url}/metrics`);
    const text = await res.text();
    expect(text).toMatch(/candles_stored_total\{instrument="EUR_USD"\} 321/);
  });
});
