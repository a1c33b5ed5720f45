import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DEFAULT_INSTRUMENTS } from '../src/platform/config/instruments';
import { JobRunner } from '../src/jobs/runner/job-runner.service';
import { exitWithin, spawnTs, waitFor } from './utils/ops-helpers';
import { PrivatePostgres } from './utils/private-postgres';
import { testEnv } from './utils/test-env';
import { startTestApp } from './utils/test-app';

/** Boot of the CLI (transpile + Nest boot + migrations) plus a first fill, on a busy 2-core machine. */
const RUN_MS = 240_000;

interface SyncDetails {
  status: string;
  fetched: number;
}

/** One query on the private cluster; during its restart the caller's poll just tries again. */
async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/*
 * `job run hourly` (the real CLI in its own process, first fill from the
 * simulated market) while the PostgreSQL it writes to restarts. That server
 * is a private cluster of this test: the shared one must never be restarted.
 */
describe('A PostgreSQL restart in the middle of a job', () => {
  let pg: PrivatePostgres;

  beforeAll(async () => {
    pg = await PrivatePostgres.start();
  }, 60_000);

  afterAll(() => {
    pg?.cleanup();
  });

  it(
    'should end the hourly run as success with every candle and metric stored, its outcome recorded and exit 0',
    async () => {
      const url = pg.url(`fx_test_ops_dbrestart_${randomBytes(3).toString('hex')}`);
      // All 20 default instruments, as in a real first run.
      const instruments = DEFAULT_INSTRUMENTS;
      const env = testEnv({ DATABASE_URL: url, LOG_LEVEL: 'warn' }, 'ops_dbrestart');
      const cli = spawnTs('src/cli.ts', ['job', 'run', 'hourly'], env);
      try {
        await waitFor(
          'the hourly run to start',
          async () => {
            if (cli.child.exitCode !== null) throw new Error(`CLI exited early:\n${cli.stderr()}`);
            const rows = await query<{ n: number }>(
              url,
              `SELECT count(*)::int AS n FROM cron_job_log WHERE job_name = 'hourly' AND status = 'running'`,
            ).catch(() => [{ n: 0 }]);
            return rows[0].n === 1;
          },
          RUN_MS,
          100,
        );
        // About 1.5 s into the run: in the middle of the first fill.
        await new Promise((r) => setTimeout(r, 1_500));
        const restartAt = new Date();
        expect(cli.child.exitCode).toBeNull();
        await pg.restart();

        const exit = await exitWithin(cli, RUN_MS);
        const output = cli.stdout() + cli.stderr();

        expect(cli.stdout()).toMatch(/^job hourly: success in /m);
        expect(exit.code).toBe(0);
        // The restart really hit the work, and it was retried rather than failed.
        expect(output).toMatch(/database unavailable/);

        const runs = await query<{
          status: string;
          end_time: Date;
          error_message: string | null;
          details: { steps: { sync: { details: { instruments: Record<string, SyncDetails> } } } };
        }>(
          url,
          `SELECT status, end_time, error_message, details FROM cron_job_log WHERE job_name = 'hourly'`,
        );
        expect(runs).toHaveLength(1);
        expect(runs[0]).toMatchObject({ status: 'success', error_message: null });
        expect(runs[0].end_time.getTime()).toBeGreaterThan(restartAt.getTime());

        // Every instrument: all the candles the provider sent are stored, and each has its metrics row.
        const sync = runs[0].details.steps.sync.details.instruments;
        const stored = await query<{ instrument: string; candles: number; metrics: number }>(
          url,
          `SELECT c.instrument, count(*)::int AS candles, count(m.time)::int AS metrics
             FROM oanda_candles c
             LEFT JOIN volatility_metrics m ON m.instrument = c.instrument AND m.time = c.time
            WHERE c.granularity = 'H1' AND c.complete
            GROUP BY c.instrument ORDER BY c.instrument`,
        );
        expect(stored.map((s) => s.instrument)).toEqual([...instruments].sort());
        for (const s of stored) {
          expect(sync[s.instrument].status).toBe('ok');
          // A year of hourly candles minus weekends (the last, still open hour is not complete).
          expect(s.candles).toBeGreaterThan(6_000);
          expect(s.candles).toBeGreaterThanOrEqual(sync[s.instrument].fetched - 1);
          expect(s.metrics).toBe(s.candles);
        }
        // The same trading calendar for every pair: none is missing an hour the others have.
        expect(new Set(stored.map((s) => s.candles)).size).toBe(1);
      } finally {
        if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
      }
    },
    RUN_MS * 2 + 60_000,
  );

  it(
    'should wait, within the job timeout, for PostgreSQL to come back to record the outcome',
    async () => {
      const url = pg.url(`fx_test_ops_dbrecord_${randomBytes(3).toString('hex')}`);
      const t = await startTestApp({ DATABASE_URL: url }, 'ops_dbrecord');
      let back: Promise<void> | undefined;
      try {
        // The job's work is done just as PostgreSQL goes away; it is back about 2 s later.
        const result = await t.app.get(JobRunner).run(
          'outcome-across-restart',
          async () => {
            await pg.stop('fast');
            back = new Promise((r) => setTimeout(r, 2_000)).then(() => pg.start());
            return { recordsProcessed: 3 };
          },
          { timeoutSeconds: 60 },
        );
        await back;

        expect(result).toMatchObject({ status: 'success', recordsProcessed: 3 });
        const rows = await query<{ status: string; records_processed: number }>(
          url,
          `SELECT status, records_processed FROM cron_job_log WHERE job_name = 'outcome-across-restart'`,
        );
        expect(rows).toEqual([{ status: 'success', records_processed: 3 }]);
      } finally {
        await back?.catch(() => undefined);
        await t.close({ keepDatabase: true });
      }
    },
    RUN_MS,
  );
});
