import { Client } from 'pg';
import { dropDatabase } from '../src/platform/database/ensure-database';
import { ADVISORY_LOCK_ROWS_SQL } from '../src/platform/locks/advisory-lock';
import { PRICE_STREAM_LOCK } from '../src/prices/price-stream.service';
import { exitWithin, freePort, spawnTs, type Spawned } from './utils/ops-helpers';
import { RecordingClient } from './utils/realtime-client';
import { testEnv } from './utils/test-env';
import { waitFor } from './utils/wait-for';

/*
 * The built service as `WORKERS=2 node dist/src/main.js` runs it: a primary
 * that owns the port and two workers forked from it, on a real PostgreSQL and
 * Redis. Everything is observed from outside, as an operator or a client
 * would: HTTP answers, Socket.IO events, the lock table, the log lines.
 */

/** Two app boots on a busy 2-core machine (the second worker starts once the first serves). */
const BOOT_MS = 150_000;
const PAIRS = ['EUR_USD', 'USD_JPY', 'GBP_CAD'];
const INSTANCE = 'cluster-e2e';
const WORKER_IDS = [`${INSTANCE}-w1`, `${INSTANCE}-w2`];
/** socket.io-client's own default transports: long-polling first, then the upgrade to WebSocket. */
const DEFAULT_TRANSPORTS = ['polling', 'websocket'];

type LogLine = Record<string, unknown> & { event?: string; pid?: number };
const key = (p: { instrument: string; price: { time: string } }) =>
  `${p.instrument}@${p.price.time}`;

describe('Cluster mode (WORKERS=2)', () => {
  let app: Spawned;
  let env: Record<string, string | undefined>;
  let url: string;
  let db: Client;
  const clients: RecordingClient[] = [];

  /** Every JSON log line so far, of the primary and of both workers (they share its stdout and stderr). */
  const lines = (): LogLine[] =>
    `${app.stdout()}\n${app.stderr()}`
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .flatMap((l) => {
        // Three processes write to one pipe: a line over PIPE_BUF could in theory be torn.
        try {
          return [JSON.parse(l) as LogLine];
        } catch {
          return [];
        }
      });
  const events = (name: string) => lines().filter((l) => l.event === name);
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  /** The workers serving now: slot -> pid, from the primary's worker_ready lines. */
  const servingPids = (): Map<number, number> =>
    new Map(events('worker_ready').map((l) => [l.worker as number, l.worker_pid as number]));
  /** application_name of the session holding the price stream lock in this test's database. */
  const lockHolders = async (): Promise<string[]> => {
    const { rows } = await db.query<{ application_name: string }>(
      `SELECT application_name FROM pg_stat_activity WHERE pid IN (${ADVISORY_LOCK_ROWS_SQL})`,
      [PRICE_STREAM_LOCK],
    );
    return rows.map((r) => r.application_name);
  };
  /** instance_id of whichever worker answers one new connection. */
  const infoInstance = async (): Promise<string> => {
    const res = await fetch(`${url}/api/v1/info`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { instance_id: string }).instance_id;
  };

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    env = testEnv(
      {
        PORT: String(port),
        WORKERS: '2',
        INSTANCE_ID: INSTANCE,
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'log',
        PRICE_STREAM_ENABLED: 'true',
        SIMULATED_TICK_INTERVAL_MS: '200',
        // The scheduler on (to see which worker holds it), every job's switch off (no run here).
        SCHEDULER_ENABLED: 'true',
        HOURLY_JOB_ENABLED: 'false',
        DAILY_JOB_ENABLED: 'false',
        RETENTION_JOB_ENABLED: 'false',
        AUDIT_PRUNE_JOB_ENABLED: 'false',
      },
      'cluster',
    );
    app = spawnTs('src/main.ts', [], env);
    await waitFor(
      () => {
        if (app.child.exitCode !== null)
          throw new Error(`cluster exited early:\n${app.stdout()}\n${app.stderr()}`);
        return events('cluster_ready').length === 1;
      },
      { what: 'the primary to report both workers serving', timeout: BOOT_MS, interval: 250 },
    );
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
  }, BOOT_MS + 10_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await db?.end();
    if (app) {
      for (const pid of [...servingPids().values(), app.child.pid!])
        if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
    if (env?.DATABASE_URL) await dropDatabase(env.DATABASE_URL);
  }, 30_000);

  it('should run two worker processes, not Nest in the primary, and answer from both', async () => {
    const started = events('worker_started');
    const pids = started.map((l) => l.worker_pid as number);
    expect(started.map((l) => l.worker)).toEqual([1, 2]);
    expect(new Set(pids).size).toBe(2);
    expect(pids).not.toContain(app.child.pid);
    // Nest logs (context InstanceLoader, Bootstrap, ...) come from the workers only.
    const nestPids = new Set(
      lines()
        .filter((l) => l.context !== 'Cluster')
        .map((l) => l.pid),
    );
    expect(nestPids.has(app.child.pid)).toBe(false);
    expect([...nestPids].sort()).toEqual([...pids].sort());

    // Round-robin over new connections: both workers answer within a few requests.
    const seen = new Set<string>();
    await waitFor(
      async () => {
        seen.add(await infoInstance());
        return seen.size === 2;
      },
      { what: 'both workers to answer /api/v1/info', timeout: 10_000, interval: 10 },
    );
    expect([...seen].sort()).toEqual(WORKER_IDS);
    expect((await fetch(`${url}/health`)).status).toBe(200);
  }, 30_000);

  it('should keep the job schedules in worker 1 only', () => {
    const scheduler = (id: string) =>
      lines()
        .filter((l) => l.context === 'JobScheduler' && l.instance_id === id)
        .map((l) => String(l.message));
    expect(scheduler(WORKER_IDS[0])).toContain('job hourly: disabled by its switch');
    expect(scheduler(WORKER_IDS[0]).some((m) => m.startsWith('scheduler disabled'))).toBe(false);
    expect(scheduler(WORKER_IDS[1])).toEqual([
      'scheduler disabled (SCHEDULER_ENABLED=false): no job runs on this instance',
    ]);
  });

  it('should have exactly one worker holding the price stream lock', async () => {
    const holders = await waitFor(async () => {
      const h = await lockHolders();
      return h.length > 0 && h;
    });
    expect(holders).toHaveLength(1);
    expect(WORKER_IDS.map((id) => `fx-data-pipeline:${id}`)).toContain(holders[0]);
  }, 30_000);

  it('should deliver each price_update exactly once to polling-first and polling-only clients on either worker', async () => {
    // Connected one after the other, so round-robin puts consecutive handshakes on alternate workers.
    for (const transports of [DEFAULT_TRANSPORTS, DEFAULT_TRANSPORTS, ['polling']])
      clients.push(await RecordingClient.connect(url, { transports, timeout: 20_000 }));
    for (const c of clients)
      await c.request('subscription_confirmed', (s) => s.emit('subscribe', { pairs: PAIRS }));
    const stats = await Promise.all(
      clients.map((c) => c.request('server_stats', (s) => s.emit('get_server_stats'))),
    );
    // Both workers hold clients, and they agree that exactly one of them leads the stream.
    expect(new Set(stats.map((s) => s.instance_id))).toEqual(new Set(WORKER_IDS));
    const leaders = new Set(stats.filter((s) => s.price_stream_leader).map((s) => s.instance_id));
    expect(leaders.size).toBe(1);
    expect(stats.filter((s) => !leaders.has(s.instance_id)).length).toBeGreaterThan(0);

    // The default clients upgraded to WebSocket; the polling-only one keeps polling (every
    // request a new connection, each routed by its sid to the worker that holds the session).
    const transport = (c: RecordingClient) => c.socket.io.engine.transport.name;
    await waitFor(
      () => transport(clients[0]) === 'websocket' && transport(clients[1]) === 'websocket',
      {
        what: 'the polling-first clients to upgrade to websocket',
      },
    );
    expect(transport(clients[2])).toBe('polling');

    const from = Date.now() + 200;
    const since = (c: RecordingClient, t: number) =>
      c.of('price_update').filter((u) => Date.parse(u.timestamp) >= t);
    await waitFor(() => clients.every((c) => since(c, from).length >= 3 * PAIRS.length), {
      what: 'three updates per pair on every client',
    });
    // Updates come in publish order through one Redis channel: once every client has one
    // published after `until`, each has all it will ever get from before it.
    const until = Date.now();
    await waitFor(() => clients.every((c) => since(c, until + 1).length > 0), {
      what: 'an update published after the window on every client',
    });

    for (const c of clients) {
      const keys = c.of('price_update').map(key);
      expect(new Set(keys).size).toBe(keys.length); // no duplicates
      expect(c.connected).toBe(true);
    }
    const window = (c: RecordingClient) =>
      c
        .of('price_update')
        .filter((u) => Date.parse(u.timestamp) >= from && Date.parse(u.timestamp) < until)
        .map(key)
        .sort();
    expect(window(clients[0]).length).toBeGreaterThanOrEqual(3 * PAIRS.length);
    expect(new Set(window(clients[0]).map((k) => k.split('@')[0]))).toEqual(new Set(PAIRS));
    for (const c of clients.slice(1)) expect(window(c)).toEqual(window(clients[0]));
  }, 60_000);

  it(
    'should restart a worker that dies, and end with one stream leader again',
    async () => {
      const [holder] = await lockHolders();
      const slot = WORKER_IDS.findIndex((id) => holder === `fx-data-pipeline:${id}`) + 1;
      const deadPid = servingPids().get(slot)!;
      const readyBefore = events('worker_ready').length;
      process.kill(deadPid, 'SIGKILL');

      const exited = await waitFor(
        () => events('worker_exited').find((l) => l.worker_pid === deadPid),
        {
          what: 'the primary to log the dead worker',
        },
      );
      expect(exited).toMatchObject({ worker: slot, signal: 'SIGKILL', restart_in_ms: 1_000 });
      expect(exited.level).toBe('warn');
      const ready = await waitFor(
        () =>
          events('worker_ready')
            .slice(readyBefore)
            .find((l) => l.worker === slot),
        {
          what: `worker ${slot} to serve again`,
          timeout: BOOT_MS,
          interval: 250,
        },
      );
      expect(ready.worker_pid).not.toBe(deadPid);
      expect(alive(deadPid)).toBe(false);

      // The survivor took the stream (the lock died with the leader's session); one holder only.
      const holders = await waitFor(
        async () => {
          const h = await lockHolders();
          return h.length === 1 && h[0] !== holder && h;
        },
        { what: 'the other worker to take the stream' },
      );
      expect(holders).toHaveLength(1);
      const seen = new Set<string>();
      await waitFor(
        async () => {
          seen.add(await infoInstance());
          return seen.size === 2;
        },
        { what: 'both workers to answer again', timeout: 10_000, interval: 10 },
      );
      expect([...seen].sort()).toEqual(WORKER_IDS);
    },
    BOOT_MS + 30_000,
  );

  it('should stop every worker and exit 0 on SIGTERM', async () => {
    for (const c of clients) c.close();
    const workers = [...servingPids().values()];
    expect(workers).toHaveLength(2);
    app.child.kill('SIGTERM');
    const exit = await exitWithin(app, 30_000);
    expect(exit).toEqual({ code: 0, signal: null });
    for (const pid of workers) {
      expect(alive(pid)).toBe(false);
      // Each worker ran its own graceful shutdown (main.ts) and exited 0.
      expect(events('shutdown_done').find((l) => l.pid === pid)).toMatchObject({ exit_code: 0 });
    }
    const primaryLines = lines().filter((l) => l.pid === app.child.pid && l.level === 'log');
    expect(primaryLines.at(-1)).toMatchObject({
      event: 'shutdown_done',
      context: 'Cluster',
      signal: 'SIGTERM',
      exit_code: 0,
    });
    expect(events('worker_exited').filter((l) => workers.includes(l.worker_pid as number))).toEqual(
      workers.map(() => expect.objectContaining({ exit_code: 0, signal: null })),
    );
  }, 40_000);
});

describe('Cluster mode refusals', () => {
  it('should refuse WORKERS=2 in embedded mode with one line naming what to set, forking nothing', async () => {
    const app = spawnTs(
      'src/main.ts',
      [],
      testEnv(
        { WORKERS: '2', DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'log' },
        'cluster_refused',
      ),
    );
    const exit = await exitWithin(app, 30_000);
    expect(exit).toEqual({ code: 1, signal: null });
    const errors = app.stderr().trim().split('\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^WORKERS=2 needs an external PostgreSQL and Redis/);
    expect(errors[0]).toContain('DATABASE_URL');
    expect(errors[0]).toContain('REDIS_URL');
    expect(errors[0]).toContain('WORKERS=1');
    expect(app.stdout()).toBe('');
  }, 40_000);
});
