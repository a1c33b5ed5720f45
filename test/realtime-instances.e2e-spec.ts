import { ADVISORY_LOCK_ROWS_SQL } from '../src/platform/locks/advisory-lock';
import { PRICE_STREAM_LOCK, PriceStreamService } from '../src/prices/price-stream.service';
import { DataReadyEvent } from '../src/platform/pubsub/events';
import { EventPublisher } from '../src/platform/pubsub/event-publisher.service';
import { eventually, RecordingClient, sleep } from './utils/realtime-client';
import { startTestApp, TestApp } from './utils/test-app';

const PAIRS = ['EUR_USD', 'USD_JPY', 'GBP_CAD'];
const key = (p: { instrument: string; price: { time: string } }) =>
  `${p.instrument}@${p.price.time}`;

/*
 * Two app instances in one process, sharing one database and one Redis key
 * prefix, exactly like two containers of one deployment.
 */
describe('Several instances', () => {
  let a: TestApp;
  let b: TestApp;
  const clients: RecordingClient[] = [];
  const closed = new Set<TestApp>();
  const leaderOf = (...apps: TestApp[]) =>
    apps.filter((x) => x.app.get(PriceStreamService).isLeader);

  beforeAll(async () => {
    const stream = { PRICE_STREAM_ENABLED: 'true', SIMULATED_TICK_INTERVAL_MS: '200' };
    a = await startTestApp(stream, 'rt_multi');
    b = await startTestApp(
      {
        ...stream,
        DATABASE_URL: a.env.DATABASE_URL,
        REDIS_KEY_PREFIX: a.env.REDIS_KEY_PREFIX,
        INSTANCE_ID: 'instance-b',
      },
      'rt_multi',
    );
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    // The last one to close drops the shared database; any earlier one must keep it.
    const open = [a, b].filter((x) => x && !closed.has(x));
    for (const [i, x] of open.entries()) await x.close({ keepDatabase: i < open.length - 1 });
  }, 60_000);

  it('should elect exactly one leader that streams, while the other only serves', async () => {
    await eventually(() => leaderOf(a, b).length === 1);
    // Past a follower retry period the election is still settled on one leader.
    await sleep(2_500);
    const leaders = leaderOf(a, b);
    expect(leaders).toHaveLength(1);
    const follower = leaders[0] === a ? b : a;
    expect(follower.app.get(PriceStreamService).status()).toMatchObject({
      leader: false,
      ticks_received: 0,
    });
    expect(leaders[0].app.get(PriceStreamService).status().ticks_received).toBeGreaterThan(0);
  }, 20_000);

  it('should deliver each price_update exactly once to clients on either instance', async () => {
    const onA = await RecordingClient.connect(a.url);
    const onB = await RecordingClient.connect(b.url);
    clients.push(onA, onB);
    for (const c of [onA, onB])
      await c.request('subscription_confirmed', (s) => s.emit('subscribe', { pairs: PAIRS }));
    const from = Date.now() + 200;
    await sleep(2_500);
    // A marker through Redis: once both sockets have it, everything published before it has arrived too.
    const marker: DataReadyEvent = {
      data_type: 'candles',
      count: 4242,
      timestamp: new Date().toISOString(),
    };
    const until = Date.now();
    await a.app.get(EventPublisher).publish('data_ready', marker);
    await Promise.all([onA, onB].map((c) => c.waitFor('data_ready', (p) => p.count === 4242)));

    for (const c of [onA, onB]) {
      const updates = c.of('price_update');
      const keys = updates.map(key);
      expect(new Set(keys).size).toBe(keys.length); // no duplicates
      expect(new Set(updates.map((u) => u.instrument))).toEqual(new Set(PAIRS));
    }
    const window = (c: RecordingClient) =>
      c
        .of('price_update')
        .filter((u) => Date.parse(u.timestamp) >= from && Date.parse(u.timestamp) < until)
        .map(key)
        .sort();
    expect(window(onA).length).toBeGreaterThanOrEqual(3 * PAIRS.length);
    expect(window(onA)).toEqual(window(onB));
  }, 30_000);

  it('should end with one leader again when the leader loses its lock session', async () => {
    const [leader] = leaderOf(a, b);
    const elections = () =>
      a.app.get(PriceStreamService).timesElected + b.app.get(PriceStreamService).timesElected;
    const before = elections();
    // What a PostgreSQL restart or a killed backend does to the lock's connection. Only the
    // holder in this test's own database: the server is shared with other applications.
    const killed = await leader.dataSource.query(
      `SELECT pg_terminate_backend(pid) AS ok FROM (${ADVISORY_LOCK_ROWS_SQL}) holder WHERE pid IN (SELECT pid FROM pg_stat_activity WHERE datname = current_database())`,
      [PRICE_STREAM_LOCK],
    );
    expect(killed).toEqual([{ ok: true }]);
    // A new election happened (either instance may win it) and then exactly one leader remains.
    await eventually(() => elections() > before && leaderOf(a, b).length === 1, 15_000);
    await sleep(3_500); // past one verification period of the old leader
    expect(leaderOf(a, b)).toHaveLength(1);
  }, 30_000);

  it('should hand the stream to the other instance within seconds when the leader stops', async () => {
    const [leader] = leaderOf(a, b);
    const survivor = leader === a ? b : a;
    const client = clients[leader === a ? 1 : 0];
    await leader.close({ keepDatabase: true });
    closed.add(leader);
    const stoppedAt = Date.now();
    await eventually(() => survivor.app.get(PriceStreamService).isLeader, 10_000);
    const fresh = await client.waitFor(
      'price_update',
      (p) => Date.parse(p.timestamp) > stoppedAt,
      10_000,
    );
    expect(PAIRS).toContain(fresh.instrument);
    expect(survivor.app.get(PriceStreamService).status().ticks_received).toBeGreaterThan(0);
    const keys = client.of('price_update').map(key);
    expect(new Set(keys).size).toBe(keys.length);
  }, 30_000);
});
