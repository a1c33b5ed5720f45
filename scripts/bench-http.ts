/**
 * `npm run bench:http [-- --duration 10] [--connections 32] [--baseline-dir DIR]`:
 * REST read throughput and latency, printed as JSON.
 *
 * 1. Spawns the real server (src/main.ts, NODE_ENV=production, API keys on,
 *    the per-key rate limiter off so it does not cap the load) as a child
 *    process on a throwaway database and Redis prefix, then stores a year of
 *    hourly candles for all 20 instruments (175,200 rows) and lets the
 *    simulated price stream fill the price cache.
 * 2. Starts a bare Express app in another child process serving the bytes
 *    /api/v1/prices/all answered, with the same content type: what the
 *    framework costs on its own on this box, beside the cached read.
 * 3. Runs autocannon (this process; same cores) against each route for
 *    `--duration` seconds with `--connections` connections, after a warm-up,
 *    and reports requests/s and latency percentiles.
 * 4. With `--baseline-dir` (another checkout, e.g. `git archive` of an older
 *    main, sharing this node_modules) runs the same routes against its server
 *    too, in the same run, so the figures sit side by side.
 * Everything it started is stopped and the databases dropped at the end.
 */
import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { Client } from 'pg';
import { createClient } from 'redis';
import { DEFAULT_INSTRUMENTS } from '../src/platform/config/instruments';
import { dropDatabase } from '../src/platform/database/ensure-database';
import { freePort } from '../test/utils/free-port';

const progress = (line: string): void => {
  process.stderr.write(`[bench:http] ${line}\n`);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Options {
  durationS: number;
  connections: number;
  baselineDir?: string;
}

function parseOptions(argv: string[]): Options {
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
  return {
    durationS: int('--duration', 10, 2, 120),
    connections: int('--connections', 32, 1, 512),
    baselineDir: value('--baseline-dir'),
  };
}

interface Route {
  name: string;
  path: string;
  headers?: Record<string, string>;
  /** Overrides --connections (single-client latency). */
  connections?: number;
}

const ROUTES: Route[] = [
  { name: 'instruments', path: '/api/v1/instruments' },
  // One connection: the latency of a request on its own; at 32 connections on 2 cores the
  // percentiles are mostly the queue in front of it.
  { name: 'instruments_1conn', path: '/api/v1/instruments', connections: 1 },
  { name: 'candles_500', path: '/api/v1/candles/EUR_USD?limit=500' },
  {
    name: 'candles_500_gzip',
    path: '/api/v1/candles/EUR_USD?limit=500',
    headers: { 'accept-encoding': 'gzip' },
  },
  { name: 'candles_5000', path: '/api/v1/candles/EUR_USD?limit=5000' },
  { name: 'candles_5000_1conn', path: '/api/v1/candles/EUR_USD?limit=5000', connections: 1 },
  { name: 'health', path: '/health' },
  { name: 'health_1conn', path: '/health', connections: 1 },
  { name: 'prices_all', path: '/api/v1/prices/all' },
];

interface RouteResult {
  requests_per_s: number;
  latency_ms_p50: number;
  latency_ms_p90: number;
  latency_ms_p99: number;
  bytes_per_response: number;
  non_2xx: number;
  errors: number;
  connections: number;
}

async function load(
  url: string,
  route: Route,
  options: Options,
  key?: string,
): Promise<RouteResult> {
  const connections = route.connections ?? options.connections;
  const headers = { ...(key ? { 'x-api-key': key } : {}), ...route.headers };
  // Warm-up: JIT, pool connections, caches.
  await autocannon({ url: url + route.path, connections, duration: 2, headers });
  const r = await autocannon({
    url: url + route.path,
    connections,
    duration: options.durationS,
    headers,
  });
  return {
    requests_per_s: Math.round(r.requests.average),
    latency_ms_p50: r.latency.p50,
    latency_ms_p90: r.latency.p90,
    latency_ms_p99: r.latency.p99,
    bytes_per_response: r.requests.total ? Math.round(r.throughput.total / r.requests.total) : 0,
    non_2xx: r.non2xx,
    errors: r.errors,
    connections,
  };
}

/** A year of hourly candles for every instrument, in one statement per instrument. */
async function seedYear(databaseUrl: string): Promise<number> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    let rows = 0;
    for (const [n, instrument] of DEFAULT_INSTRUMENTS.entries()) {
      const res = await db.query(
        `INSERT INTO oanda_candles (instrument, time, granularity,
           open_bid, high_bid, low_bid, close_bid, open_ask, high_ask, low_ask, close_ask,
           open_mid, high_mid, low_mid, close_mid, volume, complete)
         SELECT $1, t, 'H1', p, p + 0.0010, p - 0.0010, p + 0.0002,
                p + 0.0002, p + 0.0012, p - 0.0008, p + 0.0004,
                p + 0.0001, p + 0.0011, p - 0.0009, p + 0.0003, 1000, true
         FROM generate_series(date_trunc('hour', now()) - interval '365 days',
                              date_trunc('hour', now()) - interval '1 hour', interval '1 hour') t,
              LATERAL (SELECT round((1 + $2::int * 0.1 + 0.01 * sin(extract(epoch FROM t) / 86400))::numeric, 5) AS p) x
         ON CONFLICT DO NOTHING`,
        [instrument, n],
      );
      rows += res.rowCount ?? 0;
    }
    await db.query('ANALYZE oanda_candles');
    return rows;
  } finally {
    await db.end();
  }
}

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

interface Server {
  url: string;
  key: string;
  child: ChildProcess;
  databaseUrl: string;
  keyPrefix: string;
}

/** Boots `dir`'s src/main.ts; resolves once prices stream and the first admin key was printed. */
async function startServer(dir: string, redisUrl: string): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const admin = new URL(
    process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  );
  admin.pathname = `/fx_bench_http_${Math.floor(Date.now() / 1000)}_${randomBytes(3).toString('hex')}`;
  const databaseUrl = admin.toString();
  const keyPrefix = `bench:http:${randomBytes(4).toString('hex')}:`;
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: dir,
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
      SIMULATED_TICK_INTERVAL_MS: '1000',
      PRICE_STREAM_ENABLED: 'true',
      SCHEDULER_ENABLED: 'false',
      JOBS_CATCH_UP_ON_BOOT: 'false',
      AUTH_MODE: 'keys',
      // The limiter would cap a benchmark at 600 requests per minute; its cost is bench:auth's subject.
      RATE_LIMIT_PER_MINUTE: '0',
      TS_NODE_TRANSPILE_ONLY: 'true',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    if (stdout.length < 100_000) stdout += chunk.toString();
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server in ${dir} exited (${child.exitCode})`);
    const key = /fxp_[A-Za-z0-9]{20,}/.exec(stdout)?.[0];
    if (key) {
      try {
        const res = await fetch(`${url}/api/v1/prices/all`, { headers: { 'x-api-key': key } });
        if (res.ok) {
          const body = (await res.json()) as { prices: Array<{ source: string }> };
          if (body.prices.length === DEFAULT_INSTRUMENTS.length)
            return { url, key, child, databaseUrl, keyPrefix };
        }
      } catch {
        // not listening yet
      }
    }
    await sleep(250);
  }
  child.kill('SIGKILL');
  throw new Error(`server in ${dir} not ready within 120 s`);
}

async function stopServer(server: Server, redisUrl: string): Promise<void> {
  if (server.child.exitCode === null) {
    const exited = new Promise((r) => server.child.once('exit', r));
    server.child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000)]);
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  }
  await dropDatabase(server.databaseUrl).catch((error: unknown) =>
    console.error(`could not drop ${server.databaseUrl}: ${(error as Error).message}`),
  );
  await deleteKeys(redisUrl, server.keyPrefix).catch(() => undefined);
}

/** The bare Express app (child process): one route answering fixed bytes as JSON. */
function runBare(): void {
  // Required here so only the bare child loads it; express comes with @nestjs/platform-express.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const express = require('express') as typeof import('express');
  const body = Buffer.from(process.env.BENCH_HTTP_BODY ?? '{}');
  const app = express();
  app.get('/bare', (_req, res) => {
    res.type('application/json').send(body);
  });
  const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
  process.on('disconnect', () => server.close(() => process.exit(0)));
}

async function startBare(body: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename], {
    env: { ...process.env, BENCH_HTTP_BARE: '1', BENCH_HTTP_BODY: body, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`bare server exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

async function measureServer(
  dir: string,
  options: Options,
  redisUrl: string,
  children: ChildProcess[],
): Promise<Record<string, unknown>> {
  progress(`starting the server in ${dir}`);
  const server = await startServer(dir, redisUrl);
  children.push(server.child);
  try {
    const seeded = await seedYear(server.databaseUrl);
    progress(`stored ${seeded} candles; loading`);
    const routes: Record<string, RouteResult> = {};
    for (const route of ROUTES) {
      routes[route.name] = await load(server.url, route, options, server.key);
      progress(`${route.name}: ${JSON.stringify(routes[route.name])}`);
    }
    const pricesBody = await (
      await fetch(`${server.url}/api/v1/prices/all`, { headers: { 'x-api-key': server.key } })
    ).text();
    const bare = await startBare(pricesBody);
    children.push(bare.child);
    try {
      routes.bare_express_same_bytes = await load(
        bare.url,
        { name: 'bare', path: '/bare' },
        options,
      );
      progress(`bare: ${JSON.stringify(routes.bare_express_same_bytes)}`);
      routes.bare_express_1conn = await load(
        bare.url,
        { name: 'bare_1conn', path: '/bare', connections: 1 },
        options,
      );
    } finally {
      bare.child.disconnect();
      bare.child.kill('SIGTERM');
    }
    return {
      server_dir: dir,
      candles_stored: seeded,
      routes,
      cached_read_vs_bare_express:
        Math.round(
          (routes.prices_all.requests_per_s / routes.bare_express_same_bytes.requests_per_s) * 100,
        ) / 100,
    };
  } finally {
    await stopServer(server, redisUrl);
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const children: ChildProcess[] = [];
  const killAll = () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  };
  process.once('exit', killAll);
  process.once('SIGINT', () => {
    killAll();
    process.exit(130);
  });
  const current = await measureServer(process.cwd(), options, redisUrl, children);
  const baseline = options.baselineDir
    ? await measureServer(options.baselineDir, options, redisUrl, children).catch(
        (error: unknown) => ({ error: (error as Error).message }),
      )
    : null;
  console.log(
    JSON.stringify(
      {
        benchmark: 'http',
        connections: options.connections,
        duration_s: options.durationS,
        current,
        baseline,
        cpus: cpus().length,
        node: process.version,
      },
      null,
      2,
    ),
  );
}

if (process.env.BENCH_HTTP_BARE) {
  runBare();
} else {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
