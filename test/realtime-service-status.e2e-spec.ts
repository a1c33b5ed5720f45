import { PriceStreamService } from '../src/prices/price-stream.service';
import { RecordingClient } from './utils/realtime-client';
import { RedisServerProcess } from './utils/redis-server';
import { startTestApp, TestApp } from './utils/test-app';
import { waitFor } from './utils/wait-for';

const key = (p: { instrument: string; price: { time: string } }) =>
  `${p.instrument}@${p.price.time}`;

/*
 * Redis goes away under connected sockets: every client is told
 * (`service_status`), and the stream leader's own sockets keep their prices.
 * A private redis-server, since the shared one serves every other test file.
 */
describe('service_status while Redis is down', () => {
  let redis: RedisServerProcess;
  let leader: TestApp;
  let other: TestApp;
  let onLeader: RecordingClient;
  let onOther: RecordingClient;

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
    leader = await startTestApp(
      { REDIS_URL: redis.url, PRICE_STREAM_ENABLED: 'true', SIMULATED_TICK_INTERVAL_MS: '100' },
      'rt_status',
    );
    // An instance that does not stream: while Redis is down it has no live prices to give.
    other = await startTestApp(
      {
        REDIS_URL: redis.url,
        DATABASE_URL: leader.env.DATABASE_URL,
        REDIS_KEY_PREFIX: leader.env.REDIS_KEY_PREFIX,
        INSTANCE_ID: 'not-streaming',
      },
      'rt_status',
    );
    await waitFor(() => leader.app.get(PriceStreamService).isLeader, { timeout: 15_000 });
    onLeader = await RecordingClient.connect(leader.url, { auth: { pairs: ['EUR_USD'] } });
    onOther = await RecordingClient.connect(other.url, { auth: { pairs: ['EUR_USD'] } });
  }, 60_000);

  afterAll(async () => {
    onLeader?.close();
    onOther?.close();
    await other?.close({ keepDatabase: true });
    await leader?.close();
    await redis?.stop();
  }, 60_000);

  it('should report Redis and live prices in connection_established', async () => {
    for (const c of [onLeader, onOther])
      expect(c.of('connection_established')[0].service_status).toMatchObject({
        redis: 'up',
        live_prices: true,
      });
    await onLeader.waitFor('price_update', () => true, 10_000);
    await onOther.waitFor('price_update', () => true, 10_000);
  });

  it('should tell every client when Redis goes down, and keep the leader instance delivering', async () => {
    await redis.stop();
    const [down, otherDown] = await Promise.all([
      onLeader.waitFor('service_status', (s) => s.redis === 'down', 10_000),
      onOther.waitFor('service_status', (s) => s.redis === 'down', 10_000),
    ]);
    expect(down.live_prices).toBe(true);
    expect(otherDown.live_prices).toBe(false);
    expect(Date.parse(down.timestamp)).not.toBeNaN();
    const downAt = Date.now();
    // Published nowhere (Redis is gone), yet the leader's own socket gets the stream's ticks.
    const during = await onLeader.waitFor(
      'price_update',
      (p) => Date.parse(p.timestamp) > downAt,
      10_000,
    );
    expect(during.instrument).toBe('EUR_USD');
    // A client connecting now learns the state at once.
    const late = await RecordingClient.connect(other.url);
    try {
      expect(late.of('connection_established')[0].service_status).toMatchObject({
        redis: 'down',
        live_prices: false,
      });
    } finally {
      late.close();
    }
  }, 30_000);

  it('should tell every client when Redis is back, with prices once each again', async () => {
    await redis.start();
    const [up, otherUp] = await Promise.all([
      onLeader.waitFor('service_status', (s) => s.redis === 'up', 20_000),
      onOther.waitFor('service_status', (s) => s.redis === 'up', 20_000),
    ]);
    expect(up.live_prices).toBe(true);
    expect(otherUp.live_prices).toBe(true);
    const upAt = Date.now();
    await onOther.waitFor('price_update', (p) => Date.parse(p.timestamp) > upAt, 10_000);
    const from = onLeader.received.length;
    await waitFor(
      () => onLeader.received.slice(from).filter((r) => r.event === 'price_update').length >= 10,
      { timeout: 10_000 },
    );
    // Every tick reached the leader's socket once: locally while down, through Redis while up, never both.
    const keys = onLeader.of('price_update').map(key);
    expect(keys.length).toBeGreaterThan(10);
    expect(new Set(keys).size).toBe(keys.length);
  }, 40_000);
});
