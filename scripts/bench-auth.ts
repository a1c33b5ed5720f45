/**
 * `npm run bench:auth`: what access control costs.
 *  - throughput of a cached read (GET /api/v1/prices/all, 20 prices from Redis)
 *    with the key check and the Redis rate limiter, with the key check only
 *    (RATE_LIMIT_PER_MINUTE=0) and with AUTH_MODE=off; measured with wrk in
 *    alternating rounds on the same machine in the same run;
 *  - how long a revocation on one instance takes to stop the key on another
 *    (REST 401 and the open socket closed);
 *  - the Socket.IO handshake with a key vs without auth.
 * Needs wrk (`apt-get install -y wrk`). Prints JSON; the database and keys are removed.
 */
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { INestApplication } from '@nestjs/common';
import { io } from 'socket.io-client';
import request from 'supertest';
import { createApp } from '../src/app.factory';
import { ApiKeysService } from '../src/auth/api-keys.service';
import { AppCacheService } from '../src/cache/app-cache.service';
import { CacheKeys } from '../src/cache/cache-keys';
import { AppConfig } from '../src/platform/config/app-config';
import { RawEnv } from '../src/platform/config/env.validation';
import { dropDatabase } from '../src/platform/database/ensure-database';

const run = promisify(execFile);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const HANDSHAKES = Number(process.env.BENCH_HANDSHAKES ?? 100);
const REVOCATIONS = Number(process.env.BENCH_REVOCATIONS ?? 5);

const pgBase = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbUrl = new URL(pgBase);
dbUrl.pathname = `/fx_test_bench_auth_${Math.floor(Date.now() / 1000)}_${randomBytes(3).toString('hex')}`;
const base: RawEnv = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'error',
  DATABASE_URL: dbUrl.toString(),
  REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  REDIS_KEY_PREFIX: `bench:auth:${randomBytes(4).toString('hex')}:`,
  MARKET_DATA_PROVIDER: 'simulated',
  OANDA_API_KEY: '',
  SCHEDULER_ENABLED: 'false',
  JOBS_CATCH_UP_ON_BOOT: 'false',
  PRICE_STREAM_ENABLED: 'false',
};

interface Instance {
  app: INestApplication;
  url: string;
}

async function start(env: RawEnv): Promise<Instance> {
  const app = await createApp({ ...base, ...env });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round1 = (x: number): number => Math.round(x * 10) / 10;
const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * One wrk run: requests per second, and this process's CPU time per request
 * (the apps run here, wrk in its own process). On a shared machine the
 * throughput swings with the neighbours' load; CPU time per request swings
 * less, but background work (timers, GC) is spread over fewer requests when
 * a side happens to get less throughput, so read both.
 */
async function wrk(url: string, key: string | null): Promise<{ rps: number; cpuUs: number }> {
  const args = ['-t2', `-c${CONNECTIONS}`, `-d${SECONDS}s`];
  if (key) args.push('-H', `X-API-Key: ${key}`);
  const cpuBefore = process.cpuUsage();
  const { stdout } = await run('wrk', [...args, url]);
  const cpu = process.cpuUsage(cpuBefore);
  const match = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  const total = /(\d+) requests in/.exec(stdout);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout);
  if (!match || !total) throw new Error(`unexpected wrk output:\n${stdout}`);
  if (non2xx) throw new Error(`wrk saw ${non2xx[1]} error responses from ${url}`);
  return { rps: Number(match[1]), cpuUs: (cpu.user + cpu.system) / Number(total[1]) };
}

function handshake(url: string, token?: string): Promise<number> {
  const started = process.hrtime.bigint();
  const socket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(token ? { auth: { token } } : {}),
  });
  return new Promise((resolve, reject) => {
    socket.once('connection_established', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      socket.close();
      resolve(ms);
    });
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

async function handshakes(
  url: string,
  token?: string,
): Promise<{ mean_ms: number; p50_ms: number }> {
  await handshake(url, token); // warm-up
  const times: number[] = [];
  for (let i = 0; i < HANDSHAKES; i += 1) times.push(await handshake(url, token));
  return {
    mean_ms: round2(times.reduce((a, b) => a + b, 0) / times.length),
    p50_ms: round2(median(times)),
  };
}

/** Revokes through instance `a`; measures until instance `b` refuses the key and has closed its socket. */
async function revocation(
  a: Instance,
  b: Instance,
): Promise<{ rest_ms: number; socket_ms: number }> {
  const { key, record } = await a.app.get(ApiKeysService).create({ name: 'victim', scope: 'read' });
  const ok = await request(b.url).get('/api/v1/sessions').set('X-API-Key', key);
  if (ok.status !== 200) throw new Error(`expected 200 before revocation, got ${ok.status}`);
  const socket = io(b.url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: { token: key },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connection_established', () => resolve());
    socket.once('connect_error', reject);
  });
  const started = Date.now();
  const closed = new Promise<number>((resolve) =>
    socket.once('disconnect', () => resolve(Date.now() - started)),
  );
  await a.app.get(ApiKeysService).revoke(record.prefix);
  let restMs = -1;
  while (restMs < 0) {
    const res = await request(b.url).get('/api/v1/sessions').set('X-API-Key', key);
    if (res.status === 401) restMs = Date.now() - started;
    else await new Promise((r) => setTimeout(r, 20));
    if (Date.now() - started > 30_000) throw new Error('revocation never took effect');
  }
  const socketMs = await closed;
  socket.close();
  return { rest_ms: restMs, socket_ms: socketMs };
}

async function main(): Promise<void> {
  const limited = await start({ AUTH_MODE: 'keys', RATE_LIMIT_PER_MINUTE: '1000000000' });
  const unlimited = await start({ AUTH_MODE: 'keys', RATE_LIMIT_PER_MINUTE: '0' });
  const open = await start({ AUTH_MODE: 'off', RATE_LIMIT_PER_MINUTE: '0' });
  const instances = [limited, unlimited, open];
  try {
    const keys = limited.app.get(ApiKeysService);
    const { key } = await keys.create({ name: 'bench', scope: 'read', maxConnections: 10_000 });
    // Warm the price cache: /prices/all is then 20 Redis GETs, the cached-read path.
    const config = limited.app.get(AppConfig);
    const cache = limited.app.get(AppCacheService);
    const cacheKeys = limited.app.get(CacheKeys);
    for (const instrument of config.market.instruments) {
      const { key: cacheKey, ttl } = cacheKeys.price(instrument);
      await cache.set(
        cacheKey,
        {
          instrument,
          bid: 1.1,
          ask: 1.1002,
          mid: 1.1001,
          time: new Date().toISOString(),
          source: 'stream',
        },
        ttl,
      );
    }
    const path = '/api/v1/prices/all';
    const sides = {
      key_and_limiter: { instance: limited, key, rps: [] as number[], cpuUs: [] as number[] },
      key_only: { instance: unlimited, key, rps: [] as number[], cpuUs: [] as number[] },
      auth_off: { instance: open, key: null, rps: [] as number[], cpuUs: [] as number[] },
    };
    for (const side of Object.values(sides)) await wrk(side.instance.url + path, side.key); // warm-up
    // The machine is shared: each round runs the three sides back to back in a fresh random
    // order, and the limiter's cost is the median of the per-round ratios (paired samples).
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = Object.values(sides).sort(() => Math.random() - 0.5);
      for (const side of order) {
        const { rps, cpuUs } = await wrk(side.instance.url + path, side.key);
        side.rps.push(rps);
        side.cpuUs.push(cpuUs);
      }
      ratios.push(sides.key_and_limiter.rps[round] / sides.key_only.rps[round]);
    }
    const rps = Object.fromEntries(
      Object.entries(sides).map(([name, side]) => [
        name,
        {
          median_rps: round1(median(side.rps)),
          rounds_rps: side.rps,
          median_cpu_us_per_request: round1(median(side.cpuUs)),
        },
      ]),
    );

    const revocations: Array<{ rest_ms: number; socket_ms: number }> = [];
    for (let i = 0; i < REVOCATIONS; i += 1) revocations.push(await revocation(limited, unlimited));

    const handshakeWithKey = await handshakes(limited.url, key);
    const handshakeOff = await handshakes(open.url);

    process.stdout.write(
      `${JSON.stringify(
        {
          benchmark: 'auth',
          cached_read: {
            path,
            tool: `wrk -t2 -c${CONNECTIONS} -d${SECONDS}s x ${ROUNDS} rounds, sides in random order per round`,
            ...rps,
            // Throughput on a CPU-bound server is 1 / CPU per request.
            limiter_cost_pct_cpu: round1(
              (median(sides.key_and_limiter.cpuUs) / median(sides.key_only.cpuUs) - 1) * 100,
            ),
            key_check_cost_pct_cpu: round1(
              (median(sides.key_only.cpuUs) / median(sides.auth_off.cpuUs) - 1) * 100,
            ),
            // Wall-clock throughput, paired per round: noisy when the machine is shared.
            limiter_cost_pct_rps: round1((1 - median(ratios)) * 100),
            limiter_cost_pct_rps_by_round: ratios.map((r) => round1((1 - r) * 100)),
            target_pct: 10,
          },
          revocation: {
            samples: revocations,
            rest_max_ms: Math.max(...revocations.map((r) => r.rest_ms)),
            socket_max_ms: Math.max(...revocations.map((r) => r.socket_ms)),
            target_ms: 5000,
          },
          handshake: {
            samples: HANDSHAKES,
            with_key: handshakeWithKey,
            auth_off: handshakeOff,
            key_cost_ms: round2(handshakeWithKey.mean_ms - handshakeOff.mean_ms),
          },
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    for (const instance of instances) await instance.app.close();
    await dropDatabase(base.DATABASE_URL!);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
