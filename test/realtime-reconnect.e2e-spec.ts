import request from 'supertest';
import { dropDatabase } from '../src/platform/database/ensure-database';
import { RawEnv } from '../src/platform/config/env.validation';
import { EventPublisher } from '../src/platform/pubsub/event-publisher.service';
import { exitWithin, freePort, Spawned, spawnTs, waitFor } from './utils/ops-helpers';
import { RecordingClient } from './utils/realtime-client';
import { startTestApp, TestApp } from './utils/test-app';
import { testEnv } from './utils/test-env';

/** Boot of a TypeScript child process (transpile + Nest boot) on a busy 2-core machine. */
const BOOT_MS = 90_000;
/** The contract: after the server is back, prices resume within this. */
const RESUME_MS = 10_000;

/*
 * The reconnect protocol (README, Socket.IO): a client puts its pairs in the
 * handshake (`auth: {pairs}`); socket.io-client reconnects by itself, and
 * every (re)connection subscribes them again, so neither a dropped
 * connection nor a server restart leaves it without its rooms.
 */
describe('Reconnect: a brief disconnect', () => {
  let t: TestApp;
  let client: RecordingClient | undefined;

  beforeAll(async () => {
    t = await startTestApp({}, 'rt_reconnect');
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await t?.close();
  });

  it('should restore the handshake pairs when socket.io-client reconnects by itself', async () => {
    client = await RecordingClient.connect(t.url, {
      auth: { pairs: ['EUR_USD'] },
      reconnection: true,
      reconnectionDelay: 200,
      reconnectionDelayMax: 1_000,
    });
    const c = client;
    // Dropping the transport is what a network blip does; the client reconnects on its own.
    const from = c.received.length;
    c.socket.io.engine.close();
    const again = await c.waitFor('connection_established', () => true, RESUME_MS, from);
    expect(again.pairs).toEqual(['EUR_USD']);
    const publisher = t.app.get(EventPublisher);
    const marker = {
      instrument: 'EUR_USD',
      price: { bid: 1.1234, ask: 1.1236, mid: 1.1235, time: new Date().toISOString() },
      timestamp: new Date().toISOString(),
    };
    await publisher.publish('price_updates', marker);
    const update = await c.waitFor('price_update', (p) => p.price.bid === 1.1234);
    expect(update.instrument).toBe('EUR_USD');
  }, 30_000);
});

describe('Reconnect: Socket.IO connection-state recovery (WS_STATE_RECOVERY_SECONDS)', () => {
  let t: TestApp;
  let client: RecordingClient | undefined;

  beforeAll(async () => {
    t = await startTestApp({ WS_STATE_RECOVERY_SECONDS: '60' }, 'rt_recovery');
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await t?.close();
  });

  it('should give a briefly disconnected socket its rooms and the events it missed', async () => {
    // No auth.pairs: the rooms can only come back from the recovered session.
    client = await RecordingClient.connect(t.url, {
      reconnection: true,
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 1_000,
      randomizationFactor: 0,
    });
    const c = client;
    await c.request('subscription_confirmed', (s) => s.emit('subscribe', { pairs: ['USD_CAD'] }));
    const from = c.received.length;
    c.socket.io.engine.close();
    // Published while the client is away.
    const missed = {
      instrument: 'USD_CAD',
      price: { bid: 1.3601, ask: 1.3603, mid: 1.3602, time: new Date().toISOString() },
      timestamp: new Date().toISOString(),
    };
    await t.app.get(EventPublisher).publish('price_updates', missed);
    const again = await c.waitFor('connection_established', () => true, RESUME_MS, from);
    expect(c.socket.recovered).toBe(true);
    expect(again.pairs).toEqual(['USD_CAD']);
    const replayed = await c.waitFor('price_update', (p) => p.price.bid === 1.3601, 5_000, from);
    expect(replayed.instrument).toBe('USD_CAD');
  }, 30_000);
});

describe('Reconnect: a server restart under a subscribed client', () => {
  let port: number;
  let env: RawEnv;
  let server: Spawned | undefined;
  let client: RecordingClient | undefined;
  const url = () => `http://127.0.0.1:${port}`;

  const boot = async (): Promise<Spawned> => {
    const app = spawnTs('src/main.ts', [], env);
    await waitFor(
      'the app to answer /health',
      async () => {
        if (app.child.exitCode !== null) throw new Error(`app exited early:\n${app.stderr()}`);
        const status = await request(url())
          .get('/health')
          .then((r) => r.status)
          .catch(() => 0);
        return status === 200;
      },
      BOOT_MS,
      100,
    );
    return app;
  };

  beforeAll(async () => {
    port = await freePort();
    env = testEnv(
      { PORT: String(port), PRICE_STREAM_ENABLED: 'true', SIMULATED_TICK_INTERVAL_MS: '200' },
      'rt_restart_srv',
    );
    server = await boot();
  }, BOOT_MS + 10_000);

  afterAll(async () => {
    client?.close();
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await exitWithin(server, 15_000).catch(() => undefined);
    }
    if (env?.DATABASE_URL) await dropDatabase(env.DATABASE_URL);
  }, 30_000);

  it(
    'should resume price_update within 10 s of the new process being up',
    async () => {
      // The README's example client: auth read on every (re)connection, kept in step with subscribes.
      const pairs = new Set(['EUR_USD', 'USD_JPY']);
      client = await RecordingClient.connect(url(), {
        auth: (send: (auth: object) => void) => send({ pairs: [...pairs] }),
        reconnection: true,
        reconnectionDelay: 500,
        reconnectionDelayMax: 2_000,
      });
      const c = client;
      expect(c.of('connection_established')[0].pairs.sort()).toEqual(['EUR_USD', 'USD_JPY']);
      const followed = await c.socket
        .timeout(5_000)
        .emitWithAck('subscribe', { pairs: ['GBP_USD'] });
      if (!('error' in followed)) pairs.add('GBP_USD');
      await c.waitFor('price_update', () => true, 20_000);

      const old = server as Spawned;
      old.child.kill('SIGTERM');
      expect(await exitWithin(old, 15_000)).toEqual({ code: 0, signal: null });
      const downAt = Date.now();
      const from = c.received.length;
      server = await boot();
      const upAt = Date.now();

      const resumed = await c
        .waitFor('price_update', (p) => Date.parse(p.timestamp) > downAt, RESUME_MS, from)
        .catch((error: Error) => {
          const seen = c.received.slice(from).map((r) => `${r.event} ${JSON.stringify(r.payload)}`);
          throw new Error(
            `${error.message}; received since the restart: ${seen.join('\n')}\nserver log:\n${server?.stdout()}${server?.stderr()}`,
          );
        });
      const resumedAfterMs = Date.now() - upAt;
      expect(['EUR_USD', 'USD_JPY', 'GBP_USD']).toContain(resumed.instrument);
      expect(resumedAfterMs).toBeLessThan(RESUME_MS);
      const [hello] = c.received
        .slice(from)
        .filter((r) => r.event === 'connection_established')
        .map((r) => r.payload as { pairs: string[] });
      expect(hello.pairs.sort()).toEqual(['EUR_USD', 'GBP_USD', 'USD_JPY']);
      process.stdout.write(`reconnect: price_update resumed ${resumedAfterMs} ms after restart\n`);
    },
    BOOT_MS + 60_000,
  );
});
