import { createHmac } from 'node:crypto';
import request from 'supertest';
import { bearer, createKey } from './utils/auth-helpers';
import { TickDriver } from './utils/alert-ticks';
import { waitFor } from './utils/wait-for';
import { RecordingClient } from './utils/realtime-client';
import { startTestApp, type TestApp } from './utils/test-app';
import { WebhookReceiver } from './utils/webhook-receiver';

/** A fixed bar so once_per_bar is deterministic: 10:00-11:00 UTC, and the next one. */
const BAR = Date.UTC(2026, 10, 25, 10, 0);
const at = (minutes: number): Date => new Date(BAR + minutes * 60_000);

/** The receiver's own check, written from the Standard Webhooks spec with node:crypto only. */
function signatureValid(secret: string, headers: Record<string, unknown>, body: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const mac = createHmac('sha256', key)
    .update(`${String(headers['webhook-id'])}.${String(headers['webhook-timestamp'])}.${body}`)
    .digest('base64');
  return String(headers['webhook-signature']).split(' ').includes(`v1,${mac}`);
}

describe('alerts: price rules, ownership, socket and webhook delivery', () => {
  let t: TestApp;
  let ticks: TickDriver;
  let receiver: WebhookReceiver;
  let alice: { key: string };
  let bob: { key: string };
  let aliceSocket: RecordingClient;
  let bobSocket: RecordingClient;

  const create = async (key: string, body: Record<string, unknown>) => {
    const res = await request(t.url).post('/api/v1/alerts').set(bearer(key)).send(body);
    if (res.status !== 201)
      throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    await ticks.refresh();
    return res.body as { id: string; webhook_secret?: string };
  };
  const eventsOf = async (key: string, ruleId: string) =>
    (await request(t.url).get(`/api/v1/alerts/${ruleId}/events`).set(bearer(key)).expect(200))
      .body as {
      events: Array<{ id: string; value: number; delivery_status: string; attempts: number }>;
    };

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    t = await startTestApp(
      {
        AUTH_MODE: 'keys',
        INSTRUMENTS: 'EUR_USD,USD_JPY,USD_CHF',
        ALERT_WEBHOOK_ALLOW_PRIVATE: 'true',
        ALERT_WEBHOOK_RETRY_BASE_MS: '50',
        ALERT_RULES_PER_KEY: '5',
      },
      'alerts_price',
    );
    ticks = new TickDriver(t.app);
    // Read keys: a key manages its own rules without the admin scope.
    alice = await createKey(t, 'read');
    bob = await createKey(t, 'read');
    aliceSocket = await RecordingClient.connect(t.url, { auth: { token: alice.key } });
    bobSocket = await RecordingClient.connect(t.url, { auth: { token: bob.key } });
    await ticks.lead();
  });

  afterAll(async () => {
    aliceSocket?.close();
    bobSocket?.close();
    await ticks?.stepDown();
    await t?.close();
    await receiver?.close();
  });

  it('should refuse bad rules with a 400 naming the field', async () => {
    const post = (body: unknown) =>
      request(t.url)
        .post('/api/v1/alerts')
        .set(bearer(alice.key))
        .send(body as object);
    const unknown = await post({
      instrument: 'EUR_USD',
      condition: { type: 'price_above', level: 1.1 },
      colour: 'red',
    });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.message)).toContain('property colour should not exist');
    const noLevel = await post({ instrument: 'EUR_USD', condition: { type: 'price_above' } });
    expect(noLevel.status).toBe(400);
    expect(noLevel.body.message).toContain('condition.level is required for price_above');
    const badType = await post({
      instrument: 'EUR_USD',
      condition: { type: 'moon_phase', level: 1 },
    });
    expect(JSON.stringify(badType.body.message)).toContain('condition.type must be one of');
    const untracked = await post({
      instrument: 'GBP_USD',
      condition: { type: 'price_above', level: 1.2 },
    });
    expect(untracked.body.message).toContain(
      'instrument: "GBP_USD" is not tracked by this service',
    );
    const notUrl = await post({
      instrument: 'EUR_USD',
      condition: { type: 'price_above', level: 1.2 },
      webhook_url: 'ftp://x',
    });
    expect(notUrl.body.message).toContain('webhook_url must be an http or https URL');
    const wrongLevel = await post({
      instrument: 'EUR_USD',
      condition: { type: 'price_above', level: '1.2' },
    });
    expect(JSON.stringify(wrongLevel.body.message)).toContain(
      'condition.level must be a finite number',
    );
  });

  it('should fire price_cross_above once on the crossing, to the owner only, with a signed webhook', async () => {
    const rule = await create(alice.key, {
      instrument: 'EUR_USD',
      condition: { type: 'price_cross_above', level: 1.095 },
      frequency: 'every_time',
      webhook_url: `${receiver.url}/hook`,
    });
    expect(rule.webhook_secret).toMatch(/^whsec_/);
    const shown = await request(t.url)
      .get(`/api/v1/alerts/${rule.id}`)
      .set(bearer(alice.key))
      .expect(200);
    expect(shown.body.webhook_secret).toBeUndefined();
    expect(shown.body.hysteresis).toBe(0.0001);

    await ticks.tick('EUR_USD', 1.094, at(1));
    await ticks.tick('EUR_USD', 1.0949, at(2));
    expect((await eventsOf(alice.key, rule.id)).events).toHaveLength(0);
    await ticks.tick('EUR_USD', 1.0952, at(3));
    await ticks.tick('EUR_USD', 1.0955, at(4));

    const live = await aliceSocket.waitFor('alert_triggered', (e) => e.rule_id === rule.id);
    expect(live).toMatchObject({
      instrument: 'EUR_USD',
      condition: { type: 'price_cross_above', level: 1.095 },
      value: 1.0952,
    });
    const hook = await waitFor(() => receiver.delivered().find((r) => r.body.includes(rule.id)), {
      what: 'the webhook',
    });
    expect(signatureValid(rule.webhook_secret!, hook.headers, hook.body)).toBe(true);
    expect(
      signatureValid('whsec_' + Buffer.from('wrong').toString('base64'), hook.headers, hook.body),
    ).toBe(false);
    const body = JSON.parse(hook.body) as {
      type: string;
      data: { rule_id: string; event_id: string };
    };
    expect(body.type).toBe('alert.triggered');
    expect(hook.headers['webhook-id']).toBe(body.data.event_id);

    const history = await waitFor(
      async () => {
        const page = await eventsOf(alice.key, rule.id);
        return page.events[0]?.delivery_status === 'delivered' ? page : null;
      },
      { what: 'delivered status' },
    );
    expect(history.events).toHaveLength(1);
    expect(history.events[0]).toMatchObject({ value: 1.0952, attempts: 1 });
    // Another key's socket never heard of it.
    expect(bobSocket.of('alert_triggered')).toEqual([]);
  });

  it('should keep a rule and its events invisible to another key (404)', async () => {
    const rule = await create(alice.key, {
      instrument: 'USD_CHF',
      condition: { type: 'price_below', level: 0.8 },
    });
    await request(t.url).get(`/api/v1/alerts/${rule.id}`).set(bearer(bob.key)).expect(404);
    await request(t.url).get(`/api/v1/alerts/${rule.id}/events`).set(bearer(bob.key)).expect(404);
    await request(t.url)
      .patch(`/api/v1/alerts/${rule.id}`)
      .set(bearer(bob.key))
      .send({ active: false })
      .expect(404);
    await request(t.url).delete(`/api/v1/alerts/${rule.id}`).set(bearer(bob.key)).expect(404);
    await request(t.url).post(`/api/v1/alerts/${rule.id}/test`).set(bearer(bob.key)).expect(404);
    const bobs = await request(t.url).get('/api/v1/alerts/events').set(bearer(bob.key)).expect(200);
    expect(bobs.body.events).toEqual([]);
    const bobRules = await request(t.url).get('/api/v1/alerts').set(bearer(bob.key)).expect(200);
    expect(bobRules.body.rules).toEqual([]);
    await request(t.url).get('/api/v1/alerts/not-a-uuid').set(bearer(alice.key)).expect(404);
    await request(t.url).delete(`/api/v1/alerts/${rule.id}`).set(bearer(alice.key)).expect(200);
  });

  it('should not fire again within the bar with once_per_bar, and not while the price hovers', async () => {
    const perBar = await create(alice.key, {
      instrument: 'USD_JPY',
      condition: { type: 'price_cross_above', level: 150 },
      frequency: 'once_per_bar',
    });
    const hover = await create(alice.key, {
      instrument: 'USD_JPY',
      condition: { type: 'price_cross_above', level: 151 },
      frequency: 'every_time',
    });
    await ticks.tick('USD_JPY', 149.5, at(10));
    await ticks.tick('USD_JPY', 150.2, at(11));
    await ticks.tick('USD_JPY', 149.9, at(12));
    await ticks.tick('USD_JPY', 150.3, at(13));
    expect((await eventsOf(alice.key, perBar.id)).events).toHaveLength(1);
    await ticks.tick('USD_JPY', 149.9, at(61));
    await ticks.tick('USD_JPY', 150.4, at(62));
    expect((await eventsOf(alice.key, perBar.id)).events).toHaveLength(2);

    // One pip (0.01) of hysteresis: 150.995 <-> 151.004 is hovering, not crossing.
    await ticks.tick('USD_JPY', 150.9, at(63));
    for (let i = 0; i < 6; i += 1) {
      await ticks.tick('USD_JPY', 151.004, at(64 + i * 2));
      await ticks.tick('USD_JPY', 150.995, at(65 + i * 2));
    }
    expect((await eventsOf(alice.key, hover.id)).events).toHaveLength(1);
  });

  it('should neither repeat nor miss a crossing across a leader change', async () => {
    const rule = await create(alice.key, {
      instrument: 'EUR_USD',
      condition: { type: 'price_cross_below', level: 1.09 },
      frequency: 'every_time',
    });
    await ticks.tick('EUR_USD', 1.092, at(120));
    await ticks.tick('EUR_USD', 1.0895, at(121));
    expect((await eventsOf(alice.key, rule.id)).events).toHaveLength(1);
    // A new leader starts from the stored side: the same side again is no crossing...
    await ticks.stepDown();
    await ticks.lead();
    await ticks.tick('EUR_USD', 1.0893, at(122));
    expect((await eventsOf(alice.key, rule.id)).events).toHaveLength(1);
    // ...and a crossing that happened while no one led is seen on the first tick.
    await ticks.stepDown();
    await ticks.lead();
    await ticks.tick('EUR_USD', 1.0912, at(123));
    await ticks.stepDown();
    await ticks.lead();
    await ticks.tick('EUR_USD', 1.0891, at(124));
    expect((await eventsOf(alice.key, rule.id)).events).toHaveLength(2);
  });

  it('should keep an expired rule silent', async () => {
    const expires = Date.now() + 1_500;
    const rule = await create(alice.key, {
      instrument: 'USD_CHF',
      condition: { type: 'price_above', level: 0.9 },
      expires_at: new Date(expires).toISOString(),
    });
    await waitFor(() => Date.now() > expires + 10, { what: 'the rule to expire' });
    await ticks.refresh();
    await ticks.tick('USD_CHF', 0.91, new Date());
    await ticks.tick('USD_CHF', 0.92, new Date());
    expect((await eventsOf(alice.key, rule.id)).events).toHaveLength(0);
  });

  it('should page the history with a cursor and deliver test events; enforce ALERT_RULES_PER_KEY', async () => {
    const rules = (await request(t.url).get('/api/v1/alerts').set(bearer(alice.key)).expect(200))
      .body as {
      rules: Array<{ id: string }>;
      limit: number;
    };
    expect(rules.limit).toBe(5);
    const testEvent = await request(t.url)
      .post(`/api/v1/alerts/${rules.rules[0].id}/test`)
      .set(bearer(alice.key))
      .expect(202);
    expect(testEvent.body.test).toBe(true);
    const first = await request(t.url)
      .get('/api/v1/alerts/events?limit=2')
      .set(bearer(alice.key))
      .expect(200);
    expect(first.body.events).toHaveLength(2);
    expect(first.body.events[0].id).toBe(testEvent.body.id);
    const second = await request(t.url)
      .get(`/api/v1/alerts/events?limit=2&cursor=${first.body.next_cursor as string}`)
      .set(bearer(alice.key))
      .expect(200);
    const ids = [...first.body.events, ...second.body.events].map((e: { id: string }) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    await request(t.url)
      .get('/api/v1/alerts/events?cursor=bogus!')
      .set(bearer(alice.key))
      .expect(400);
    while ((await request(t.url).get('/api/v1/alerts').set(bearer(alice.key))).body.count < 5)
      await create(alice.key, {
        instrument: 'EUR_USD',
        condition: { type: 'price_above', level: 2 },
      });
    const over = await request(t.url)
      .post('/api/v1/alerts')
      .set(bearer(alice.key))
      .send({ instrument: 'EUR_USD', condition: { type: 'price_above', level: 2 } });
    expect(over.status).toBe(409);
    expect(over.body.message).toContain('ALERT_RULES_PER_KEY');
  });
});
