import request from 'supertest';
import { waitFor } from './utils/wait-for';
import { startTestApp, type TestApp } from './utils/test-app';
import { WebhookReceiver } from './utils/webhook-receiver';

const DELIVERY_ENV = { ALERT_WEBHOOK_ALLOW_PRIVATE: 'true', INSTRUMENTS: 'EUR_USD,USD_CHF' };

async function ruleWithWebhook(t: TestApp, url: string): Promise<string> {
  const res = await request(t.url)
    .post('/api/v1/alerts')
    .send({
      instrument: 'EUR_USD',
      condition: { type: 'price_above', level: 1.5 },
      webhook_url: url,
    })
    .expect(201);
  return res.body.id as string;
}

async function testEvent(t: TestApp, ruleId: string): Promise<string> {
  return (await request(t.url).post(`/api/v1/alerts/${ruleId}/test`).expect(202)).body.id as string;
}

async function eventStatus(t: TestApp, ruleId: string, eventId: string) {
  const res = await request(t.url).get(`/api/v1/alerts/${ruleId}/events`).expect(200);
  return (res.body.events as Array<{ id: string; delivery_status: string; attempts: number }>).find(
    (e) => e.id === eventId,
  );
}

describe('alerts: webhook delivery from the outbox', () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it('should deliver on the fourth attempt after three 500s, with backoff and the metrics to show it', async () => {
    const t = await startTestApp(
      { ...DELIVERY_ENV, ALERT_WEBHOOK_RETRY_BASE_MS: '40' },
      'alerts_retry',
    );
    try {
      const ruleId = await ruleWithWebhook(t, `${receiver.url}/retry`);
      receiver.respondNext(3, 500);
      const eventId = await testEvent(t, ruleId);
      const done = await waitFor(
        async () => {
          const e = await eventStatus(t, ruleId, eventId);
          return e?.delivery_status === 'delivered' ? e : null;
        },
        { what: 'delivery' },
      );
      expect(done.attempts).toBe(4);
      const attempts = receiver.received.filter((r) => r.headers['webhook-id'] === eventId);
      expect(attempts.map((r) => r.status)).toEqual([500, 500, 500, 200]);
      // Each wait is at least half of base x 2^(n-1): 20, 40, 80 ms.
      const gaps = attempts.slice(1).map((r, i) => r.at - attempts[i].at);
      expect(gaps.every((gap, i) => gap >= 20 * 2 ** i - 5)).toBe(true);
      const metrics = (await request(t.url).get('/metrics').expect(200)).text;
      expect(metrics).toMatch(/alert_webhook_deliveries_total\{outcome="retrying"\} 3/);
      expect(metrics).toMatch(/alert_webhook_deliveries_total\{outcome="delivered"\} 1/);
      expect(metrics).toMatch(/alert_events_total\{condition="price_above"\} 1/);
      // The secret never shows in the metrics.
      expect(metrics).not.toContain('whsec_');
    } finally {
      await t.close();
    }
  });

  it('should still deliver after the service stopped between two attempts', async () => {
    const first = await startTestApp(
      { ...DELIVERY_ENV, ALERT_WEBHOOK_RETRY_BASE_MS: '3000' },
      'alerts_restart',
    );
    let second: TestApp | undefined;
    try {
      const ruleId = await ruleWithWebhook(first, `${receiver.url}/restart`);
      receiver.respondNext(1, 500);
      const eventId = await testEvent(first, ruleId);
      await waitFor(
        async () => (await eventStatus(first, ruleId, eventId))?.delivery_status === 'retrying',
        { what: 'the failed first attempt' },
      );
      await first.close({ keepDatabase: true });
      second = await startTestApp(
        {
          ...DELIVERY_ENV,
          ALERT_WEBHOOK_RETRY_BASE_MS: '3000',
          DATABASE_URL: first.env.DATABASE_URL,
        },
        'alerts_restart',
      );
      const done = await waitFor(
        async () => {
          const e = await eventStatus(second!, ruleId, eventId);
          return e?.delivery_status === 'delivered' ? e : null;
        },
        { what: 'delivery after the restart' },
      );
      expect(done.attempts).toBe(2);
      expect(
        receiver.received.filter((r) => r.headers['webhook-id'] === eventId).map((r) => r.status),
      ).toEqual([500, 200]);
    } finally {
      await second?.close();
    }
  });

  it('should deliver each event once with two instances on one database and Redis', async () => {
    const a = await startTestApp(
      { ...DELIVERY_ENV, ALERT_WEBHOOK_RETRY_BASE_MS: '40' },
      'alerts_two',
    );
    const b = await startTestApp(
      {
        ...DELIVERY_ENV,
        ALERT_WEBHOOK_RETRY_BASE_MS: '40',
        DATABASE_URL: a.env.DATABASE_URL,
        REDIS_KEY_PREFIX: a.env.REDIS_KEY_PREFIX,
      },
      'alerts_two',
    );
    try {
      const path = '/two-instances';
      const ruleId = await ruleWithWebhook(a, `${receiver.url}${path}`);
      // Slow answers and a few failures keep both workers busy with the same outbox.
      receiver.respondNext(6, 200, 30);
      receiver.respondNext(3, 503);
      const ids: string[] = [];
      for (let i = 0; i < 16; i += 1) ids.push(await testEvent(i % 2 ? a : b, ruleId));
      const mine = () =>
        receiver.delivered().filter((r) => ids.includes(String(r.headers['webhook-id'])));
      await waitFor(() => new Set(mine().map((r) => r.headers['webhook-id'])).size === ids.length, {
        what: 'every event delivered',
      });
      await waitFor(
        async () => {
          const res = await request(a.url)
            .get(`/api/v1/alerts/${ruleId}/events?limit=100`)
            .expect(200);
          return (res.body.events as Array<{ delivery_status: string }>).every(
            (e) => e.delivery_status === 'delivered',
          );
        },
        { what: 'the outbox empty' },
      );
      expect(mine()).toHaveLength(ids.length);
    } finally {
      await b.close({ keepDatabase: true });
      await a.close();
    }
  });
});
