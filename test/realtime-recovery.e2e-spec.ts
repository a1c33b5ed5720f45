import { EventPublisher } from '../src/platform/pubsub/event-publisher.service';
import { RedisSubscriber } from '../src/streaming/redis-subscriber.service';
import { eventually, RecordingClient } from './utils/realtime-client';
import { RedisServerProcess } from './utils/redis-server';
import { startTestApp, TestApp } from './utils/test-app';

/*
 * These tests stop and restart Redis, so they use a private redis-server on
 * a random port (the shared one at 6379 serves every other test file).
 */

describe(`${RedisSubscriber.name} across a Redis restart`, () => {
  let redis: RedisServerProcess;
  let t: TestApp;
  let client: RecordingClient;

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
    t = await startTestApp(
      { REDIS_URL: redis.url, PRICE_STREAM_ENABLED: 'true', SIMULATED_TICK_INTERVAL_MS: '100' },
      'rt_restart',
    );
    client = await RecordingClient.connect(t.url);
    await client.request('subscription_confirmed', (s) =>
      s.emit('subscribe', { pairs: ['EUR_USD'] }),
    );
  }, 30_000);

  afterAll(async () => {
    client?.close();
    await t?.close();
    await redis?.stop();
  });

  it('should deliver live prices before the restart', async () => {
    const update = await client.waitFor('price_update');
    expect(update.instrument).toBe('EUR_USD');
    expect(t.app.get(RedisSubscriber).status()).toMatchObject({
      connected: true,
      subscribed: true,
    });
  });

  it('should reconnect, resubscribe and deliver again after Redis restarts', async () => {
    const subscriber = t.app.get(RedisSubscriber);
    await redis.stop();
    await eventually(() => !subscriber.status().connected, 5_000, 20);
    const downAt = Date.now();
    await redis.start();
    await eventually(() => subscriber.status().connected, 20_000);
    // A price published after the restart reached this socket: the whole chain (stream -> publish -> subscribe -> emit) recovered.
    const after = await client.waitFor(
      'price_update',
      (p) => Date.parse(p.timestamp) > downAt,
      20_000,
    );
    expect(after.instrument).toBe('EUR_USD');
    expect(subscriber.status().reconnects).toBeGreaterThanOrEqual(1);
    expect(client.connected).toBe(true);
  }, 60_000);

  it('should still route alerts published by another process after the restart', async () => {
    const published = await eventually(() =>
      t.app.get(EventPublisher).publish('volatility_alerts', {
        instrument: 'EUR_USD',
        volatility: 0.3,
        threshold: 0.15,
        severity: 'critical',
        message: 'EUR_USD volatility_20 is 2.1x volatility_50',
        timestamp: new Date().toISOString(),
      }),
    );
    expect(published).toBe(true);
    const alert = await client.waitFor('volatility_alert');
    expect(alert.severity).toBe('critical');
  });
});

describe(`${RedisSubscriber.name} when Redis is down at boot`, () => {
  let redis: RedisServerProcess;
  let t: TestApp;

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
    await redis.stop();
    t = await startTestApp({ REDIS_URL: redis.url }, 'rt_late_redis');
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('should boot anyway and subscribe once Redis comes up', async () => {
    const subscriber = t.app.get(RedisSubscriber);
    expect(subscriber.status().subscribed).toBe(false);
    const client = await RecordingClient.connect(t.url);
    try {
      await redis.start();
      await eventually(() => subscriber.status().subscribed, 20_000);
      const publisher = t.app.get(EventPublisher);
      await eventually(() =>
        publisher.publish('data_ready', {
          data_type: 'candles',
          count: 7,
          timestamp: new Date().toISOString(),
        }),
      );
      const ready = await client.waitFor('data_ready');
      expect(ready).toMatchObject({ data_type: 'candles', count: 7 });
    } finally {
      client.close();
    }
  }, 60_000);
});
