import { freePort } from './free-port';
import { ChildProcess, spawn } from 'node:child_process';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { RawEnv } from '../../src/platform/config/env.validation';
import { entryArgs } from './e2e-build';
import { ADVISORY_LOCK_ROWS_SQL } from '../../src/platform/locks/advisory-lock';

export { freePort };

export interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs an entry point of the project (src/main.ts, src/cli.ts) as its own process: compiled
 * once per test run by the e2e global setup (test/utils/e2e-build.ts), like `npm run cli`.
 */
export function spawnTs(entry: string, args: string[], env: RawEnv): Spawned {
  const child = spawn(process.execPath, [...entryArgs(entry), ...args], {
    cwd: process.cwd(),
    // Only the variables under test: a developer's own .env settings must not leak in.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    // 'close', not 'exit': by then stdout and stderr are fully read.
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real CLI in a child process, exactly as `npm run cli -- ...` runs it. */
export async function runCli(args: string[], env: RawEnv): Promise<CliResult> {
  const spawned = spawnTs('src/cli.ts', args, env);
  const { code } = await spawned.exited;
  return { code, stdout: spawned.stdout(), stderr: spawned.stderr() };
}

/** Resolves with the exit, or kills the process and throws if it has not exited within `ms`. */
export async function exitWithin(
  spawned: Spawned,
  ms: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      spawned.exited,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          spawned.child.kill('SIGKILL');
          reject(
            new Error(
              `process did not exit within ${ms} ms\nstdout:\n${spawned.stdout()}\nstderr:\n${spawned.stderr()}`,
            ),
          );
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A plain pg client on a test database (for checks after the app that owned it has closed). */
export async function withPg<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Inserts an H1 candle with plausible prices (bid < mid < ask). */
export async function insertCandle(
  db: DataSource,
  instrument: string,
  time: Date,
  complete = true,
): Promise<void> {
  await db.query(
    `INSERT INTO oanda_candles (instrument, time, granularity,
       open_bid, high_bid, low_bid, close_bid, open_ask, high_ask, low_ask, close_ask,
       open_mid, high_mid, low_mid, close_mid, volume, complete)
     VALUES ($1, $2, 'H1', 1.0999, 1.1009, 1.0989, 1.0999, 1.1001, 1.1011, 1.0991, 1.1001,
       1.1, 1.101, 1.099, 1.1, 10, $3)`,
    [instrument, time.toISOString(), complete],
  );
}

/**
 * Terminates the session holding advisory lock `lock` in this test's own
 * throwaway database, as a PostgreSQL restart would. The server is shared:
 * the query names the database explicitly (and refuses anything that is not
 * a test database), so no other application's backend can ever be hit.
 */
export async function terminateOwnLockHolder(
  dataSource: DataSource,
  lock: string,
): Promise<Array<{ ok: boolean }>> {
  const [{ db }] = await dataSource.query<Array<{ db: string }>>('SELECT current_database() AS db');
  if (!db.startsWith('fx_test_')) throw new Error(`refusing to terminate backends in ${db}`);
  return dataSource.query<Array<{ ok: boolean }>>(
    `SELECT pg_terminate_backend(a.pid) AS ok
       FROM pg_stat_activity a
      WHERE a.datname = current_database()
        AND current_database() LIKE 'fx\\_test\\_%'
        AND a.pid <> pg_backend_pid()
        AND a.pid IN (${ADVISORY_LOCK_ROWS_SQL})`,
    [lock],
  );
}
