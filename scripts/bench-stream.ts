/**
 * `npm run bench:stream [-- --clients 10000] [--duration 20] [--workers 4] [--lean-clients]
 *   [--batch] [--baseline-dir DIR] [--server-workers N]`:
 * live-price fan-out of one instance, printed as JSON.
 *
 * `--batch` runs the same load twice in one report, side by side: clients
 * subscribing per message (`price_update`) and batched (`subscribe {pairs,
 * batch: true}` -> `price_batch`), plus, with `--baseline-dir`, per-message
 * clients against another checkout's server (e.g. `git archive` of an older
 * main with its engine.io write coalescer) so "not slower than before" is
 * measured in the same session on the same load. `--server-workers N` starts
 * the server with `WORKERS=N` (cluster mode: a primary and N workers with
 * sticky sessions, README "Cluster mode") instead of one process; RSS and CPU
 * are then summed over the server's process tree. `--workers` stays the
 * number of CLIENT processes.
 *
 * 1. Spawns the real server (src/main.ts) as a child process on a free port
 *    with a throwaway database and its own Redis key prefix, the simulated
 *    market ticking all 20 pairs every 250 ms (4 prices/s each) and the price
 *    stream on. The server runs in its own process so its RSS and CPU are
 *    measured apart from the clients.
 * 2. Opens N connections from worker processes on loopback (socket.io-client
 *    by default; `--lean-clients` speaks the same Socket.IO protocol over a
 *    bare `ws` socket at a fraction of the CPU, because the clients share this
 *    machine's cores with the server), then subscribes each to 3 pairs
 *    (spread evenly over the 20 rooms).
 * 3. Counts every price_update PUBLISHED during `--duration` seconds, with
 *    latency = client receive time - payload `timestamp` (the leader's publish
 *    time; same machine, same clock), and checks delivery against what was
 *    published (delivery_ratio 1 = nothing lost or duplicated).
 * 4. Stops everything, drops the database, prints
 *    {clients, messages_delivered_per_s, latency_ms_p50, latency_ms_p99,
 *    server_rss_mb, server_rss_per_client_kb, ...}. Progress goes to stderr.
 *
 * Bounded: at most 20000 clients, a 180 s connect phase, 120 s of measuring,
 * 16 workers; every child is killed on exit or Ctrl-C.
 */
import { ChildProcess, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { freePort } from '../test/utils/free-port';
import { cpus } from 'node:os';
import { createClient } from 'redis';
import { io, Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { DEFAULT_INSTRUMENTS } from '../src/platform/config/instruments';
import { dropDatabase } from '../src/platform/database/ensure-database';

const TICK_INTERVAL_MS = 250;
const PAIRS_PER_CLIENT = 3;
const MAX_LATENCY_MS = 60_000;
/** Deliveries of ticks published in the window may arrive this long after it (then they count as late, not lost). */
const REPORT_GRACE_MS = 5_000;
/** The connect phase stops starting connections after this long (the run stays bounded). */
const CONNECT_PHASE_MS = 180_000;

const progress = (line: string): void => {
  process.stderr.write(`[bench:stream] ${line}\n`);
};

// ---------------------------------------------------------------- messages

interface StartMessage {
  type: 'start';
  url: string;
  /** Index of this worker's first client (for pair assignment). */
  first: number;
  count: number;
  concurrency: number;
  /** Epoch ms after which no new connection is started (bounds the connect phase). */
  deadline: number;
  lean: boolean;
  /** Subscribe with `batch: true` and count the prices inside each `price_batch`. */
  batch: boolean;
}
interface SubscribeMessage {
  type: 'subscribe';
  batch: boolean;
}
/** Count every price_update PUBLISHED in [from, until) (epoch ms); report once `until` + grace has passed. */
interface MeasureMessage {
  type: 'measure';
  from: number;
  until: number;
  reportAt: number;
}
interface StopMessage {
  type: 'stop';
}
type ToWorker = StartMessage | SubscribeMessage | MeasureMessage | StopMessage;

interface ConnectedReport {
  type: 'connected';
  connected: number;
  failed: number;
  firstError?: string;
}
interface SubscribedReport {
  type: 'subscribed';
  subscribed: number;
}
interface MeasureReport {
  type: 'report';
  received: number;
  /** Deliveries due: for each tick published in the window, the worker's subscribers of that pair. */
  expected: number;
  /** [latency ms, count] for each non-empty 1 ms bucket. */
  histogram: Array<[number, number]>;
  disconnects: number;
  malformed: number;
  /** CPU seconds this worker used during the window. */
  cpuS: number;
}
type FromWorker = ConnectedReport | SubscribedReport | MeasureReport;

/** Client i's pairs: three distinct rooms, spread so every room gets ~3N/20 members. */
export function pairsOf(i: number, instruments: readonly string[] = DEFAULT_INSTRUMENTS): string[] {
  const n = instruments.length;
  return [0, 7, 13].slice(0, PAIRS_PER_CLIENT).map((offset) => instruments[(i + offset) % n]);
}

// ---------------------------------------------------------------- clients

type PricePayload = { instrument?: string; timestamp?: string; price?: { time?: string } };

interface ClientHooks {
  onPrice(payload: PricePayload): void;
  onBatch(payload: { prices?: PricePayload[] }): void;
  onDisconnect(): void;
}

/** One connected client: resolves `subscribe` with whether the server confirmed it. */
interface BenchClient {
  subscribe(pairs: string[], batch: boolean): Promise<boolean>;
  close(): void;
}

const CONNECT_TIMEOUT_MS = 30_000;
const SUBSCRIBE_TIMEOUT_MS = 60_000;

/** A socket.io-client connection (websocket transport), as a browser or Node client would use. */
function connectSocketIo(url: string, hooks: ClientHooks): Promise<BenchClient> {
  return new Promise((resolve, reject) => {
    const socket: Socket = io(url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: CONNECT_TIMEOUT_MS,
    });
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new Error('not connected within 30 s')),
      CONNECT_TIMEOUT_MS,
    );
    socket.once('connect_error', fail);
    socket.once('connection_established', () => {
      clearTimeout(timer);
      socket.on('price_update', hooks.onPrice);
      socket.on('price_batch', hooks.onBatch);
      socket.on('disconnect', hooks.onDisconnect);
      resolve({
        subscribe: (pairs, batch) =>
          new Promise((done) => {
            const t = setTimeout(() => done(false), SUBSCRIBE_TIMEOUT_MS);
            socket.once('subscription_confirmed', () => {
              clearTimeout(t);
              done(true);
            });
            socket.emit('subscribe', batch ? { pairs, batch } : { pairs });
          }),
        close: () => socket.close(),
      });
    });
  });
}

/**
 * A minimal Socket.IO v5 / Engine.IO v4 client over a bare WebSocket (`ws`,
 * which socket.io itself uses): open, join the default namespace ("40"),
 * answer pings ("2" -> "3"), emit and receive events ("42[...]"). It does
 * what socket.io-client does on the wire at a fraction of the CPU, so the
 * client processes, which share this machine's cores with the server, do not
 * dominate what is measured (real clients run elsewhere).
 */
function connectLean(url: string, hooks: ClientHooks): Promise<BenchClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
    let confirmSubscription: ((ok: boolean) => void) | null = null;
    let established = false;
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('not connected within 30 s'));
    }, CONNECT_TIMEOUT_MS);
    ws.on('error', (error) => {
      if (!established) {
        clearTimeout(timer);
        reject(error);
      }
    });
    ws.on('close', () => {
      if (established) hooks.onDisconnect();
    });
    ws.on('message', (data) => {
      const text = (data as Buffer).toString();
      if (text === '2') return ws.send('3'); // engine.io ping
      if (text.startsWith('0')) return ws.send('40'); // engine.io open: join namespace "/"
      if (text.startsWith('44')) {
        // socket.io CONNECT_ERROR (e.g. max clients)
        clearTimeout(timer);
        ws.close();
        return reject(new Error(text.slice(2)));
      }
      if (!text.startsWith('42')) return;
      const [event, payload] = JSON.parse(text.slice(2)) as [string, unknown];
      if (event === 'price_update') hooks.onPrice(payload as PricePayload);
      else if (event === 'price_batch') hooks.onBatch(payload as { prices?: PricePayload[] });
      else if (event === 'subscription_confirmed') confirmSubscription?.(true);
      else if (event === 'connection_established') {
        established = true;
        clearTimeout(timer);
        resolve({
          subscribe: (pairs, batch) =>
            new Promise((done) => {
              const t = setTimeout(() => done(false), SUBSCRIBE_TIMEOUT_MS);
              confirmSubscription = (ok) => {
                clearTimeout(t);
                confirmSubscription = null;
                done(ok);
              };
              ws.send(`42${JSON.stringify(['subscribe', batch ? { pairs, batch } : { pairs }])}`);
            }),
          close: () => ws.close(),
        });
      }
    });
  });
}

// ---------------------------------------------------------------- worker

/**
 * One client process: connects its share of sockets (without subscribing, so
 * the connection storm does not compete with the fan-out), subscribes them
 * all when told, then records price_update latencies for the window.
 */
function runWorker(): void {
  const sockets: Array<{ client: BenchClient; index: number }> = [];
  const histogram = new Uint32Array(MAX_LATENCY_MS + 1);
  let window = { from: Infinity, until: -Infinity };
  let received = 0;
  let disconnects = 0;
  let malformed = 0;
  /** Distinct ticks seen per instrument in the window: what was published, whoever got it. */
  const ticks = new Map<string, Set<string>>();
  const send = (m: FromWorker) => process.send?.(m);

  const onPrice = (payload: {
    instrument?: string;
    timestamp?: string;
    price?: { time?: string };
  }) => {
    const arrived = Date.now();
    const published = Date.parse(payload?.timestamp ?? '');
    if (Number.isNaN(published) || !payload.instrument) {
      malformed += 1;
      return;
    }
    if (published < window.from || published >= window.until) return;
    received += 1;
    histogram[Math.min(MAX_LATENCY_MS, Math.max(0, arrived - published))] += 1;
    let seen = ticks.get(payload.instrument);
    if (!seen) ticks.set(payload.instrument, (seen = new Set()));
    seen.add(payload.price?.time ?? payload.timestamp ?? '');
  };

  /** Deliveries this worker should have had: ticks of each pair x its subscribers here. */
  const expectedDeliveries = (): number => {
    const members = new Map<string, number>();
    for (const { index } of sockets)
      for (const pair of pairsOf(index)) members.set(pair, (members.get(pair) ?? 0) + 1);
    let expected = 0;
    for (const [pair, seen] of ticks) expected += seen.size * (members.get(pair) ?? 0);
    return expected;
  };

  const onBatch = (payload: { prices?: PricePayload[] }) => {
    if (!Array.isArray(payload?.prices)) {
      malformed += 1;
      return;
    }
    for (const price of payload.prices) onPrice(price);
  };

  const connectOne = async (url: string, index: number, lean: boolean): Promise<void> => {
    const client = await (lean ? connectLean : connectSocketIo)(url, {
      onPrice,
      onBatch,
      onDisconnect: () => {
        disconnects += 1;
      },
    });
    sockets.push({ client, index });
  };

  const subscribeAll = async (batch: boolean): Promise<number> => {
    const confirmed = await Promise.all(
      sockets.map(({ client, index }) => client.subscribe(pairsOf(index), batch)),
    );
    return confirmed.filter(Boolean).length;
  };

  process.on('message', (message: ToWorker) => {
    void (async () => {
      if (message.type === 'start') {
        let next = 0;
        let failed = 0;
        let firstError: string | undefined;
        const lane = async () => {
          while (next < message.count && Date.now() < message.deadline) {
            const i = next++;
            try {
              await connectOne(message.url, message.first + i, message.lean);
            } catch (error) {
              failed += 1;
              firstError ??= (error as Error).message;
            }
          }
        };
        const progress = setInterval(
          () =>
            console.error(
              `worker ${process.pid}: ${sockets.length}/${message.count} connected, ${failed} failed`,
            ),
          10_000,
        );
        await Promise.all(Array.from({ length: message.concurrency }, lane));
        clearInterval(progress);
        send({ type: 'connected', connected: sockets.length, failed, firstError });
      } else if (message.type === 'subscribe') {
        send({ type: 'subscribed', subscribed: await subscribeAll(message.batch) });
      } else if (message.type === 'measure') {
        received = 0;
        histogram.fill(0);
        ticks.clear();
        window = { from: message.from, until: message.until };
        let cpuAtStart = process.cpuUsage();
        let cpuS = 0;
        setTimeout(() => (cpuAtStart = process.cpuUsage()), message.from - Date.now());
        setTimeout(() => {
          const cpu = process.cpuUsage(cpuAtStart);
          cpuS = (cpu.user + cpu.system) / 1e6;
        }, message.until - Date.now());
        setTimeout(() => {
          const hist: Array<[number, number]> = [];
          histogram.forEach((count, ms) => {
            if (count) hist.push([ms, count]);
          });
          send({
            type: 'report',
            received,
            expected: expectedDeliveries(),
            histogram: hist,
            disconnects,
            malformed,
            cpuS,
          });
        }, message.reportAt - Date.now());
      } else {
        for (const { client } of sockets) client.close();
        setTimeout(() => process.exit(0), 200);
      }
    })();
  });
  process.on('disconnect', () => process.exit(0));
}

// ---------------------------------------------------------------- orchestrator

export interface Options {
  clients: number;
  durationS: number;
  workers: number;
  /** `--lean-clients`: minimal protocol clients instead of socket.io-client (see connectLean). */
  lean: boolean;
  /** `--batch`: per-message and batched runs (and the baseline's, if given) side by side. */
  batch: boolean;
  /** `--baseline-dir`: another checkout whose server runs the per-message load too (same node_modules layout). */
  baselineDir?: string;
  /** `--server-workers`: WORKERS for the server (cluster mode when > 1); 1 = one plain process. */
  serverWorkers: number;
}

/** One server + load run. */
export interface Scenario {
  label: string;
  batch: boolean;
  /** Directory whose src/main.ts runs as the server. */
  serverDir: string;
  serverWorkers: number;
}

export function parseOptions(argv: string[]): Options {
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const int = (flag: string, fallback: number, min: number, max: number): number => {
    const raw = value(flag);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`${flag} must be an integer from ${min} to ${max} (got "${raw}")`);
    return n;
  };
  const clients = int('--clients', 1000, 1, 20_000);
  // One worker per ~2500 sockets keeps each client process's event loop from becoming the bottleneck.
  const workers = int('--workers', Math.min(8, Math.max(1, Math.ceil(clients / 2500))), 1, 16);
  return {
    clients,
    durationS: int('--duration', 20, 5, 120),
    workers,
    lean: argv.includes('--lean-clients'),
    batch: argv.includes('--batch'),
    baselineDir: value('--baseline-dir'),
    serverWorkers: int('--server-workers', 1, 1, 16),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A process and its descendants (a cluster primary and its workers), from /proc. */
function processTree(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i += 1) {
    try {
      const children = readFileSync(`/proc/${pids[i]}/task/${pids[i]}/children`, 'utf8');
      for (const child of children.trim().split(/\s+/)) if (child) pids.push(Number(child));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** CPU seconds (user + system) a process tree has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
      // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after "pid (comm) ".
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

function rssMb(pid: number): number {
  let kb = 0;
  for (const p of processTree(pid)) {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      kb += Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0);
    } catch {
      // exited meanwhile
    }
  }
  return kb / 1024;
}

async function waitForServer(
  url: string,
  server: ChildProcess,
  timeoutMs = 240_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited with code ${server.exitCode}`);
    try {
      const res = await fetch(`${url}/api/v1/prices/all`);
      if (res.ok) {
        const body = (await res.json()) as { prices: Array<{ source: string }> };
        if (
          body.prices.length === DEFAULT_INSTRUMENTS.length &&
          body.prices.every((p) => p.source === 'stream')
        )
          return;
      }
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`server at ${url} not streaming prices within ${timeoutMs} ms`);
}

/** Removes the run's cache keys (only its own prefix) from the shared Redis. */
async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = createClient({ url, socket: { reconnectStrategy: false } });
  redis.on('error', () => undefined);
  await redis.connect();
  try {
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 }))
      if (keys.length) await redis.unlink(keys);
  } finally {
    await redis.close();
  }
}

function percentile(hist: Map<number, number>, total: number, p: number): number | null {
  if (total === 0) return null;
  const rank = Math.ceil(total * p);
  let seen = 0;
  for (const ms of [...hist.keys()].sort((a, b) => a - b)) {
    seen += hist.get(ms) ?? 0;
    if (seen >= rank) return ms;
  }
  return null;
}

function onceMessage<T extends FromWorker['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<FromWorker, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: FromWorker) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      resolve(m as Extract<FromWorker, { type: T }>);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before "${type}"`)));
  });
}

/**
 * The runs of one invocation: per-message (and batched with `--batch`) on this
 * checkout's server with `--server-workers` workers; with more than one worker
 * the same loads again on one process, so the ratio is measured side by side
 * in the same session; with `--baseline-dir`, per-message on the old server.
 */
export function scenariosOf(options: Options, here: string): Scenario[] {
  const loads = [{ label: 'per_message', batch: false }];
  if (options.batch) loads.push({ label: 'batched', batch: true });
  const scenarios: Scenario[] = loads.map((l) => ({
    ...l,
    serverDir: here,
    serverWorkers: options.serverWorkers,
  }));
  if (options.serverWorkers > 1)
    scenarios.push(
      ...loads.map((l) => ({
        label: `${l.label}_1_worker`,
        batch: l.batch,
        serverDir: here,
        serverWorkers: 1,
      })),
    );
  if (options.baselineDir)
    scenarios.push({
      label: 'baseline_per_message',
      batch: false,
      serverDir: options.baselineDir,
      // An older checkout may not know WORKERS; one process is what it ran.
      serverWorkers: 1,
    });
  return scenarios;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const scenarios = scenariosOf(options, process.cwd());
  if (scenarios.length === 1) {
    console.log(JSON.stringify(await runScenario(options, scenarios[0]), null, 2));
    return;
  }
  const runs: Record<string, unknown> = {};
  for (const scenario of scenarios) {
    progress(`--- ${scenario.label} (server ${scenario.serverDir})`);
    try {
      runs[scenario.label] = await runScenario(options, scenario);
    } catch (error) {
      runs[scenario.label] = { error: (error as Error).message };
    }
  }
  console.log(
    JSON.stringify(
      {
        clients: options.clients,
        server_workers: options.serverWorkers,
        baseline_dir: options.baselineDir ?? null,
        runs,
      },
      null,
      2,
    ),
  );
}

async function runScenario(options: Options, scenario: Scenario): Promise<Record<string, unknown>> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const adminUrl = new URL(
    process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  );
  adminUrl.pathname = `/fx_bench_stream_${Math.floor(Date.now() / 1000)}_${randomBytes(3).toString('hex')}`;
  const databaseUrl = adminUrl.toString();
  const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const keyPrefix = `bench:${randomBytes(4).toString('hex')}:`;
  const children: ChildProcess[] = [];
  const killAll = () => {
    for (const c of children)
      if (c.exitCode === null) {
        // A cluster primary's workers first: SIGKILL on the primary alone would orphan them.
        for (const pid of processTree(c.pid!).slice(1).reverse()) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone already
          }
        }
        c.kill('SIGKILL');
      }
  };
  process.once('exit', killAll);
  // Interrupted (Ctrl-C, timeout): stop every child and drop the database before leaving.
  const onSignal = () => {
    killAll();
    void dropDatabase(databaseUrl)
      .catch(() => undefined)
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const server = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: scenario.serverDir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      MARKET_DATA_PROVIDER: 'simulated',
      OANDA_API_KEY: '',
      SIMULATED_TICK_INTERVAL_MS: String(TICK_INTERVAL_MS),
      PRICE_STREAM_ENABLED: 'true',
      SCHEDULER_ENABLED: 'false',
      JOBS_CATCH_UP_ON_BOOT: 'false',
      // Fan-out is measured here, not access control (bench:auth does that).
      AUTH_MODE: 'off',
      RATE_LIMIT_PER_MINUTE: '0',
      WS_MAX_CLIENTS: String(options.clients + 100),
      TS_NODE_TRANSPILE_ONLY: 'true',
      WORKERS: String(scenario.serverWorkers),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(server);
  const workers: ChildProcess[] = [];
  try {
    const bootStarted = Date.now();
    await waitForServer(url, server);
    const bootS = (Date.now() - bootStarted) / 1000;
    await sleep(3_000);
    const rssBaseline = rssMb(server.pid!);
    progress(
      `server up in ${bootS.toFixed(1)} s (RSS ${rssBaseline.toFixed(0)} MB); connecting ${options.clients} clients`,
    );

    // Clients, spread over worker processes.
    for (let w = 0; w < options.workers; w += 1) {
      const worker = fork(process.argv[1], [], {
        execArgv: ['-r', 'ts-node/register/transpile-only'],
        env: { ...process.env, BENCH_STREAM_WORKER: '1', TS_NODE_TRANSPILE_ONLY: 'true' },
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      workers.push(worker);
      children.push(worker);
    }
    const connectStarted = Date.now();
    const per = Math.ceil(options.clients / options.workers);
    const connected = await Promise.all(
      workers.map((worker, w) => {
        const first = w * per;
        const count = Math.max(0, Math.min(per, options.clients - first));
        const done = onceMessage(worker, 'connected');
        worker.send({
          type: 'start',
          url,
          first,
          count,
          concurrency: 50,
          deadline: Date.now() + CONNECT_PHASE_MS,
          lean: options.lean,
          batch: scenario.batch,
        } satisfies StartMessage);
        return done;
      }),
    );
    const connectS = (Date.now() - connectStarted) / 1000;
    const clients = connected.reduce((n, c) => n + c.connected, 0);
    const failed = connected.reduce((n, c) => n + c.failed, 0);
    if (clients === 0) throw new Error(`no client connected: ${connected[0]?.firstError}`);
    progress(
      `${clients} clients connected in ${connectS.toFixed(1)} s (${failed} failed); subscribing`,
    );
    const subscribed = (
      await Promise.all(
        workers.map((worker) => {
          const done = onceMessage(worker, 'subscribed');
          worker.send({ type: 'subscribe', batch: scenario.batch } satisfies SubscribeMessage);
          return done;
        }),
      )
    ).reduce((n, r) => n + r.subscribed, 0);
    progress(`${subscribed} clients subscribed; measuring for ${options.durationS} s`);

    await sleep(2_000); // settle after the connection storm
    const from = Date.now() + 1_000;
    const until = from + options.durationS * 1000;
    const reportsDone = Promise.all(
      workers.map((worker) => {
        const done = onceMessage(worker, 'report');
        worker.send({
          type: 'measure',
          from,
          until,
          reportAt: until + REPORT_GRACE_MS,
        } satisfies MeasureMessage);
        return done;
      }),
    );
    await sleep(from - Date.now());
    const serverCpuAtStart = cpuSeconds(server.pid!);
    await sleep(until - Date.now());
    const serverCpuS = cpuSeconds(server.pid!) - serverCpuAtStart;
    const rssLoaded = rssMb(server.pid!);
    const reports = await reportsDone;
    const serverStats = (await (await fetch(`${url}/api/v1/prices/all`)).json()) as {
      count: number;
    };

    const hist = new Map<number, number>();
    let received = 0;
    for (const r of reports) {
      received += r.received;
      for (const [ms, count] of r.histogram) hist.set(ms, (hist.get(ms) ?? 0) + count);
    }
    const expected = reports.reduce((n, r) => n + r.expected, 0);
    const result = {
      scenario: scenario.label,
      delivery: scenario.batch ? 'price_batch' : 'price_update',
      server_workers: scenario.serverWorkers,
      clients,
      failed_connections: failed,
      subscribed_clients: subscribed,
      client: options.lean ? 'lean (ws, Socket.IO v5 protocol)' : 'socket.io-client',
      workers: options.workers,
      duration_s: options.durationS,
      messages_delivered_per_s: Math.round(received / options.durationS),
      // Exact: every tick published in the window times its subscribers; 1 means nothing was lost.
      delivery_ratio: expected ? Math.round((received / expected) * 10_000) / 10_000 : null,
      latency_ms_p50: percentile(hist, received, 0.5),
      latency_ms_p90: percentile(hist, received, 0.9),
      latency_ms_p99: percentile(hist, received, 0.99),
      latency_ms_max: Math.max(0, ...hist.keys()),
      server_rss_mb: Math.round(rssLoaded * 10) / 10,
      server_rss_baseline_mb: Math.round(rssBaseline * 10) / 10,
      server_rss_per_client_kb:
        Math.round((((rssLoaded - rssBaseline) * 1024) / clients) * 10) / 10,
      server_cpu_percent: Math.round((serverCpuS / options.durationS) * 100),
      clients_cpu_percent: Math.round(
        (reports.reduce((n, r) => n + r.cpuS, 0) / options.durationS) * 100,
      ),
      disconnects: reports.reduce((n, r) => n + r.disconnects, 0),
      connect_s: Math.round(connectS * 10) / 10,
      server_boot_s: Math.round(bootS * 10) / 10,
      prices_served: serverStats.count,
      cpus: cpus().length,
      node: process.version,
    };
    return result;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', killAll);
    for (const worker of workers)
      if (worker.connected) worker.send({ type: 'stop' } satisfies StopMessage);
    await sleep(500);
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
    }
    killAll();
    await dropDatabase(databaseUrl).catch((error: unknown) =>
      console.error(`could not drop ${databaseUrl}: ${(error as Error).message}`),
    );
    await deleteKeys(redisUrl, keyPrefix).catch((error: unknown) =>
      console.error(`could not delete ${keyPrefix}* keys: ${(error as Error).message}`),
    );
  }
}

if (process.env.BENCH_STREAM_WORKER) {
  runWorker();
} else {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
