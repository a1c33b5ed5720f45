import { createClient } from 'redis';
import { BackfillService } from '../src/ingestion/backfill.service';
import { CandleSyncService } from '../src/ingestion/candle-sync.service';
import { JobRegistry } from '../src/jobs/runner/job-registry.service';
import type { DataReadyEvent } from '../src/platform/pubsub/events';
import { startTestApp, TestApp } from './utils/test-app';

const NOW = new Date('2026-11-18T12:34:00Z');

describe(CandleSyncService.name, () => {
  let t: TestApp;
  let sync: CandleSyncService;
  const subscriber = createClient({ url: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' });
  const dataReady: DataReadyEvent[] = [];
  const signal = new AbortController().signal;

  const latest = async (instrument: string) =>
    (
      await t.dataSource.query(
        `SELECT time, complete, close_mid::text FROM oanda_candles WHERE instrument = $1 ORDER BY time DESC LIMIT 1`,
        [instrument],
      )
    )[0];

  beforeAll(async () => {
    t = await startTestApp({}, 'candles_sync');
    sync = t.app.get(CandleSyncService);
    const run = await t.app.get(BackfillService).run({
      instruments: ['EUR_USD', 'GBP_USD'],
      granularity: 'H1',
      days: 3,
      now: NOW,
    });
    expect(run.job.status).toBe('success');
    await subscriber.connect();
    await subscriber.subscribe(`${t.env.REDIS_KEY_PREFIX}data_ready`, (message) => {
      dataReady.push(JSON.parse(message) as DataReadyEvent);
    });
  });

  afterAll(async () => {
    if (subscriber.isOpen) await subscriber.quit();
    await t?.close();
  });

  it('should fetch what is missing since the last complete candle and replace a stale incomplete one', async () => {
    await t.dataSource.query(
      `DELETE FROM oanda_candles WHERE instrument = 'EUR_USD' AND time > '2026-11-18T07:00Z'`,
    );
    const real = await latest('GBP_USD');
    await t.dataSource.query(
      `UPDATE oanda_candles SET complete = false, close_mid = 9.99999
       WHERE instrument = 'GBP_USD' AND time = '2026-11-18T12:00Z'`,
    );

    const outcome = await sync.syncAll({ signal, instruments: ['EUR_USD', 'GBP_USD'], now: NOW });

    expect(outcome.status).toBe('success');
    const details = outcome.details?.instruments as Record<string, Record<string, unknown>>;
    expect(details.EUR_USD).toMatchObject({
      status: 'ok',
      from: '2026-11-18T08:00:00.000Z',
      inserted: 5,
      updated: 0,
    });
    // At least two hours back even though only the last candle was incomplete.
    expect(details.GBP_USD).toMatchObject({
      status: 'ok',
      from: '2026-11-18T10:00:00.000Z',
      fetched: 3,
      inserted: 0,
      updated: 1,
      unchanged: 2,
    });
    expect(outcome.recordsProcessed).toBe(6);
    expect((await latest('EUR_USD')).time.toISOString()).toBe('2026-11-18T12:00:00.000Z');
    expect(await latest('GBP_USD')).toEqual(real);
  });

  it('should publish data_ready with the number of candles written', async () => {
    for (let i = 0; i < 50 && dataReady.length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(dataReady).toContainEqual(expect.objectContaining({ data_type: 'candles', count: 6 }));
  });

  it('should write nothing when nothing changed', async () => {
    const outcome = await sync.syncAll({ signal, instruments: ['EUR_USD', 'GBP_USD'], now: NOW });
    expect(outcome.status).toBe('success');
    expect(outcome.recordsProcessed).toBe(0);
  });

  it('should go on with the others when one instrument fails and report partial', async () => {
    const outcome = await sync.syncAll({ signal, instruments: ['bad', 'EUR_USD'], now: NOW });
    expect(outcome.status).toBe('partial');
    expect(outcome.errorMessage).toMatch(/^bad: instrument must look like EUR_USD/);
    const details = outcome.details?.instruments as Record<string, { status: string }>;
    expect(details.EUR_USD.status).toBe('ok');
    expect(Object.keys(details)).toEqual(['bad', 'EUR_USD']);
  });

  it('should be registered as step sync (order 10) of the hourly job and run through it', async () => {
    const step = t.app
      .get(JobRegistry)
      .steps('hourly')
      .find((s) => s.name === 'sync');
    expect(step).toMatchObject({ job: 'hourly', name: 'sync', order: 10 });
    const outcome = await step!.run({
      name: 'hourly',
      signal,
      startedAt: new Date(),
      options: { instruments: ['EUR_USD'] },
      previous: {},
    });
    expect(outcome.status).toBe('success');
    expect(Object.keys(outcome.details?.instruments as object)).toEqual(['EUR_USD']);
    // The real clock is later than NOW, so the sync found newer candles.
    expect((await latest('EUR_USD')).time.getTime()).toBeGreaterThan(NOW.getTime());
  });
});
