import { windowStart } from '../src/ingestion/backfill-plan';
import { BackfillService, type BackfillRequest } from '../src/ingestion/backfill.service';
import { countExpectedCandles } from '../src/platform/time/trading-calendar';
import { FakeOandaServer, startFakeOanda } from './utils/fake-oanda-server';
import { startTestApp, TestApp } from './utils/test-app';

/**
 * The backfill against the OANDA adapter talking HTTP to a local fake OANDA:
 * requests are counted on the wire, so "a rerun makes almost no requests" is
 * measured where it matters.
 */
describe(`${BackfillService.name} over the OANDA adapter`, () => {
  const START = new Date('2026-11-18T12:34:00Z'); // a Wednesday
  let clock = START.getTime();
  let fake: FakeOandaServer;
  let t: TestApp;
  let backfill: BackfillService;

  const request = (over: Partial<BackfillRequest> = {}): BackfillRequest => ({
    instruments: ['EUR_USD', 'GBP_USD'],
    granularity: 'H1',
    days: 10,
    now: new Date(clock),
    ...over,
  });
  const candleRequests = async (run: () => Promise<unknown>): Promise<number> => {
    const before = fake.candleRequests().length;
    await run();
    return fake.candleRequests().length - before;
  };
  const count = async (): Promise<number> =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM oanda_candles`))[0].n;
  const candle = async (instrument: string, time: string) =>
    (
      await t.dataSource.query(
        `SELECT complete, close_mid::text, volume FROM oanda_candles WHERE instrument = $1 AND time = $2`,
        [instrument, time],
      )
    )[0];

  beforeAll(async () => {
    fake = await startFakeOanda({ instruments: ['EUR_USD', 'GBP_USD'], now: () => clock });
    t = await startTestApp(
      {
        MARKET_DATA_PROVIDER: 'oanda',
        OANDA_API_KEY: fake.token,
        OANDA_ACCOUNT_ID: fake.accountId,
        OANDA_API_URL: fake.url,
        OANDA_STREAM_URL: fake.url,
        OANDA_MAX_RETRIES: '1',
        INSTRUMENTS: 'EUR_USD,GBP_USD,USD_JPY',
      },
      'candles_oanda',
    );
    backfill = t.app.get(BackfillService);
  });

  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('should store the history with exact prices and the forming candle as incomplete', async () => {
    let result: Awaited<ReturnType<BackfillService['run']>> | undefined;
    const requests = await candleRequests(async () => (result = await backfill.run(request())));
    expect(result?.job.status).toBe('success');
    expect(requests).toBe(2);
    const expected = countExpectedCandles(windowStart(START, 10, 'H1'), START.getTime() + 1, 'H1');
    expect(result?.results.map((r) => r.inserted)).toEqual([expected, expected]);
    const forming = await candle('EUR_USD', '2026-11-18T12:00Z');
    expect(forming.complete).toBe(false);
    const wire = fake.candleAt('EUR_USD', 'H1', Date.parse('2026-11-18T11:00Z'));
    expect((await candle('EUR_USD', '2026-11-18T11:00Z')).close_mid).toBe(wire.mid?.c);
  });

  it('should make at most one request per instrument when run again, changing nothing', async () => {
    const rows = await count();
    let result: Awaited<ReturnType<BackfillService['run']>> | undefined;
    const requests = await candleRequests(async () => (result = await backfill.run(request())));
    expect(requests).toBeLessThanOrEqual(2);
    expect(result?.results.every((r) => r.inserted === 0 && r.updated === 0)).toBe(true);
    expect(await count()).toBe(rows);
  });

  it('should replace the incomplete candle once it has completed', async () => {
    clock = Date.parse('2026-11-18T13:05:00Z');
    const result = await backfill.run(request());
    expect(result.results.map((r) => [r.inserted, r.updated])).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect((await candle('GBP_USD', '2026-11-18T12:00Z')).complete).toBe(true);
    expect((await candle('GBP_USD', '2026-11-18T13:00Z')).complete).toBe(false);
  });

  it('should fill deleted holes with one request per hole', async () => {
    await t.dataSource.query(
      `DELETE FROM oanda_candles WHERE instrument = 'GBP_USD' AND (
         time BETWEEN '2026-11-12T01:00Z' AND '2026-11-12T04:00Z' OR time = '2026-11-16T09:00Z')`,
    );
    const rows = await count();
    let result: Awaited<ReturnType<BackfillService['run']>> | undefined;
    const requests = await candleRequests(
      async () =>
        (result = await backfill.run(
          request({ from: new Date('2026-11-10T00:00Z'), to: new Date('2026-11-18T00:00Z') }),
        )),
    );
    expect(requests).toBe(2);
    expect(result?.results.find((r) => r.instrument === 'GBP_USD')).toMatchObject({
      inserted: 5,
      holesPlanned: 2,
    });
    expect(await count()).toBe(rows + 5);
  });

  it('should finish the other instruments when the provider rejects one, and report partial', async () => {
    const result = await backfill.run(request({ instruments: ['USD_JPY', 'EUR_USD'] }));
    expect(result.job.status).toBe('partial');
    expect(result.results[0]).toMatchObject({ instrument: 'USD_JPY', status: 'failed' });
    expect(result.results[0].error).toMatch(/not a known instrument/);
    expect(result.results[1]).toMatchObject({ instrument: 'EUR_USD', status: 'ok' });
    const [row] = await t.dataSource.query(
      `SELECT status, error_message FROM cron_job_log WHERE id = $1`,
      [result.job.logId],
    );
    expect(row.status).toBe('partial');
    expect(row.error_message).toMatch(/^USD_JPY: /);
  });
});
