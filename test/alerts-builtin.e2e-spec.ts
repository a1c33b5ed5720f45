import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory';
import type { RawEnv } from '../src/platform/config/env.validation';
import { dropDatabase } from '../src/platform/database/ensure-database';
import { JobRegistry, type StepContext } from '../src/platform/jobs';
import {
  candlesFromReturns,
  insertBidCandles,
  seededRandom,
} from './factories/analytics-candles.factory';
import { type ChannelRecorder, recordChannels } from './factories/analytics-events';
import { RecordingClient } from './utils/realtime-client';
import { testEnv } from './utils/test-env';

const HOUR = 3_600_000;
const START = Date.UTC(2025, 2, 3, 0);
/** 100 quiet returns, then 20 ten times larger: volatility_20 / volatility_50 reaches 1.59 on the last candle. */
const RETURNS = Array.from(
  { length: 121 },
  (_, k) => (k % 2 ? -1 : 1) * (k >= 100 ? 0.002 : 0.0002),
);
const CANDLES = candlesFromReturns('EUR_USD', START, RETURNS, seededRandom(11));
/** The same candles (same seed) and one more, loud too. */
const ONE_MORE = candlesFromReturns('EUR_USD', START, [...RETURNS, 0.002], seededRandom(11)).at(
  -1,
)!;

interface Running {
  app: INestApplication;
  url: string;
}

/** The app as main.ts builds it, listening, on the suite's database (kept across restarts). */
const start = async (env: RawEnv): Promise<Running> => {
  const app = await createApp(env);
  await app.listen(0, '127.0.0.1');
  return {
    app,
    url: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`,
  };
};

/** One hourly step of an instance (`metrics` or `alerts`), for EUR_USD. */
const runStep = async (app: INestApplication, name: 'metrics' | 'alerts') => {
  const ctx: StepContext = {
    name: 'hourly',
    signal: new AbortController().signal,
    startedAt: new Date(),
    options: { instruments: ['EUR_USD'] },
    previous: {},
  };
  const outcome = await app
    .get(JobRegistry)
    .steps('hourly')
    .find((s) => s.name === name)!
    .run(ctx);
  expect(outcome.status ?? 'success').toBe('success');
  return outcome;
};

// Issue 14 item 4: the built-in volatility alert is a rule of the alerts engine, judged in the
// hourly job's alerts step, recorded in alert_events and still delivered as volatility_alert.
describe('alerts: the built-in volatility rule', () => {
  const env = testEnv(
    { INSTRUMENTS: 'EUR_USD,GBP_USD', ALERT_RULES_PER_KEY: '1' },
    'alerts_builtin',
  );
  let one: Running;
  let two: Running | undefined;
  let socket: RecordingClient;
  let channel: ChannelRecorder;

  const builtinEvents = async (url: string) =>
    (await request(url).get('/api/v1/alerts/builtin/events').expect(200)).body.events as Array<{
      rule_id: string;
      instrument: string;
      severity: string;
      value: number;
      details: Record<string, unknown>;
    }>;
  const db = (): DataSource => one.app.get(DataSource);
  const eventRows = async (): Promise<number> =>
    (
      await db().query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM alert_events WHERE owner_key_id = -1`,
      )
    )[0].n;

  beforeAll(async () => {
    one = await start(env);
    channel = await recordChannels(env.REDIS_KEY_PREFIX!, ['volatility_alerts']);
    socket = await RecordingClient.connect(one.url);
    await socket.request('subscription_confirmed', (s) =>
      s.emit('subscribe', { pairs: ['EUR_USD'] }),
    );
  }, 120_000);

  afterAll(async () => {
    socket?.close();
    await channel?.close();
    await two?.app.close();
    await one?.app.close();
    if (env.DATABASE_URL) await dropDatabase(env.DATABASE_URL);
  });

  it('should hold one read-only built-in rule per instrument and pair, outside every key', async () => {
    const res = await request(one.url).get('/api/v1/alerts/builtin').expect(200);
    expect(res.body.rules.map((r: { builtin: string }) => r.builtin)).toEqual([
      'correlation:EUR_USD|GBP_USD',
      'volatility:EUR_USD',
      'volatility:GBP_USD',
    ]);
    const eur = res.body.rules.find((r: { builtin: string }) => r.builtin === 'volatility:EUR_USD');
    expect(eur.condition).toEqual({ type: 'volatility_ratio_above', level: 1.5, critical: 2 });
    // Not the (implicit) owner's rules: not listed, not counted, not editable, not deletable.
    expect((await request(one.url).get('/api/v1/alerts').expect(200)).body.count).toBe(0);
    await request(one.url)
      .post('/api/v1/alerts')
      .send({ instrument: 'EUR_USD', condition: { type: 'price_above', level: 9 } })
      .expect(201);
    await request(one.url).patch(`/api/v1/alerts/${eur.id}`).send({ active: false }).expect(404);
    await request(one.url).delete(`/api/v1/alerts/${eur.id}`).expect(404);
    await request(one.url).post(`/api/v1/alerts/${eur.id}/test`).expect(404);
  });

  it('should stay quiet while the ratio is low, then raise volatility_alert once for the candle that crosses it', async () => {
    await insertBidCandles(db(), 'EUR_USD', CANDLES.slice(0, 101));
    await runStep(one.app, 'metrics');
    expect((await runStep(one.app, 'alerts')).details?.builtin).toMatchObject({
      judged: 1,
      fired: 0,
    });
    expect(await builtinEvents(one.url)).toEqual([]);

    await insertBidCandles(db(), 'EUR_USD', CANDLES.slice(101));
    await runStep(one.app, 'metrics');
    await runStep(one.app, 'alerts');

    const alert = await socket.waitFor('volatility_alert');
    const newest = new Date(START + 121 * HOUR).toISOString();
    expect(alert).toMatchObject({ instrument: 'EUR_USD', severity: 'warning', threshold: 1.5 });
    expect(Object.keys(alert).sort()).toEqual(
      ['instrument', 'message', 'severity', 'threshold', 'timestamp', 'volatility'].sort(),
    );
    expect(alert.message).toContain(newest);
    const events = await builtinEvents(one.url);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ instrument: 'EUR_USD', severity: 'warning' });
    expect(events[0].value).toBeGreaterThanOrEqual(1.5);
    expect(events[0].details).toEqual(alert);
    // The implicit owner's history holds its own rules' events only.
    expect((await request(one.url).get('/api/v1/alerts/events').expect(200)).body.events).toEqual(
      [],
    );
  }, 60_000);

  it('should not repeat it on a second run, nor after a restart', async () => {
    await runStep(one.app, 'metrics');
    expect((await runStep(one.app, 'alerts')).details?.builtin).toMatchObject({ judged: 0 });

    socket.close();
    await one.app.close();
    one = await start(env);
    socket = await RecordingClient.connect(one.url, { auth: { pairs: ['EUR_USD'] } });
    await runStep(one.app, 'metrics');
    expect((await runStep(one.app, 'alerts')).details?.builtin).toMatchObject({ judged: 0 });

    await channel.settled();
    expect(channel.messages('volatility_alerts')).toHaveLength(1);
    expect(await eventRows()).toBe(1);
  }, 120_000);

  it('should raise the next candle once when two instances evaluate it together', async () => {
    two = await start(env);
    await insertBidCandles(db(), 'EUR_USD', [ONE_MORE]);
    await runStep(one.app, 'metrics');
    const outcomes = await Promise.all([runStep(one.app, 'alerts'), runStep(two.app, 'alerts')]);
    const fired = outcomes.map((o) => (o.details?.builtin as { fired: number }).fired);
    expect(fired.reduce((a, b) => a + b, 0)).toBe(1);

    await socket.waitFor('volatility_alert');
    await channel.settled();
    expect(channel.messages('volatility_alerts')).toHaveLength(2);
    expect(await eventRows()).toBe(2);
    expect(socket.of('volatility_alert')).toHaveLength(1);
  }, 120_000);
});
