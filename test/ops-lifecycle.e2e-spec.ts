import request from 'supertest';
import { dropDatabase } from '../src/platform/database/ensure-database';
import { INTERRUPTED_BY_SHUTDOWN, JobRunner } from '../src/jobs/runner/job-runner.service';
import { JobOutcome } from '../src/jobs/runner/job.types';
import { exitWithin, freePort, spawnTs, waitFor, withPg } from './utils/ops-helpers';
import { RecordingClient } from './utils/realtime-client';
import { testEnv } from './utils/test-env';
import { startTestApp } from './utils/test-app';

/** Booting an app (migrations, Redis connect timeouts) on a busy 2-core machine. */
const HOOK_TIMEOUT_MS = 60_000;

/** Boot of a TypeScript child process (transpile + Nest boot) on a busy 2-core machine. */
const BOOT_MS = 90_000;
/** The shutdown must end well inside this; main.ts's own backstop exits with code 1 at 9.5 s. */
const SHUTDOWN_MS = 15_000;

describe('Graceful shutdown', () => {
  it(
    'should exit 0 on SIGTERM with the price stream and a socket open, logging one JSON object per line',
    async () => {
      const port = await freePort();
      const env = testEnv(
        {
          PORT: String(port),
          LOG_FORMAT: 'json',
          LOG_LEVEL: 'log',
          INSTANCE_ID: 'ops-sigterm',
          // The stream, Socket.IO and a connected client must all be closed by the shutdown.
          PRICE_STREAM_ENABLED: 'true',
          // Catch-up runs audit-prune (never run before) right after the port is open.
          SCHEDULER_ENABLED: 'true',
          JOBS_CATCH_UP_ON_BOOT: 'true',
          HOURLY_JOB_ENABLED: 'false',
          DAILY_JOB_ENABLED: 'false',
          RETENTION_JOB_ENABLED: 'false',
        },
        'ops_sigterm',
      );
      const app = spawnTs('src/main.ts', [], env);
      let client: RecordingClient | undefined;
      try {
        await waitFor(
          'the app to answer /health',
          async () => {
            if (app.child.exitCode !== null) throw new Error(`app exited early:\n${app.stderr()}`);
            const res = await request(`http://127.0.0.1:${port}`)
              .get('/health')
              .then((r) => r.status)
              .catch(() => 0);
            return res === 200;
          },
          BOOT_MS,
          250,
        );
        await waitFor(
          'the job outcome line',
          () => app.stdout().includes('"event":"job_run"'),
          30_000,
        );
        client = await RecordingClient.connect(`http://127.0.0.1:${port}`);
        client.socket.emit('subscribe', { pairs: ['EUR_USD'] });
        await client.waitFor('price_update', () => true, 20_000);

        app.child.kill('SIGTERM');
        const exit = await exitWithin(app, SHUTDOWN_MS);

        expect(exit).toEqual({ code: 0, signal: null });
        const lines = app
          .stdout()
          .split('\n')
          .filter((l) => l.trim().length > 0);
        const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
        const outcome = parsed.find((p) => p.event === 'job_run');
        expect(outcome).toMatchObject({
          level: 'log',
          context: 'JobRunner',
          job: 'audit-prune',
          status: 'success',
          records: 0,
          instance_id: 'ops-sigterm',
        });
        expect(typeof outcome?.duration_seconds).toBe('number');
        const socket = client.socket;
        await waitFor(
          'the socket to be disconnected by the shutdown',
          () => !socket.connected,
          5_000,
        );
      } finally {
        client?.socket.disconnect();
        if (app.child.exitCode === null) app.child.kill('SIGKILL');
        await dropDatabase(env.DATABASE_URL as string);
      }
    },
    BOOT_MS + 60_000,
  );

  it(
    'should mark a job that does not finish within the grace as interrupted by shutdown',
    async () => {
      const t = await startTestApp({ JOBS_SHUTDOWN_GRACE_SECONDS: '1' }, 'ops_shutdown_job');
      const url = t.env.DATABASE_URL as string;
      try {
        let signal: AbortSignal | undefined;
        const run = t.app.get(JobRunner).run('stubborn', (ctx) => {
          signal = ctx.signal;
          return new Promise<JobOutcome>(() => undefined);
        });
        await waitFor('the run to start', () => signal !== undefined);
        await t.close({ keepDatabase: true });
        const result = await run;

        expect(result.status).toBe('failed');
        expect(result.errorMessage).toBe(INTERRUPTED_BY_SHUTDOWN);
        expect(signal?.aborted).toBe(true);
        const rows = await withPg(url, (c) =>
          c.query(`SELECT status, error_message FROM cron_job_log WHERE job_name = 'stubborn'`),
        );
        expect(rows.rows).toEqual([{ status: 'failed', error_message: INTERRUPTED_BY_SHUTDOWN }]);
      } finally {
        await dropDatabase(url);
      }
    },
    HOOK_TIMEOUT_MS,
  );

  it(
    'should let a job that finishes within the grace complete normally',
    async () => {
      const t = await startTestApp({ JOBS_SHUTDOWN_GRACE_SECONDS: '5' }, 'ops_shutdown_ok');
      const url = t.env.DATABASE_URL as string;
      try {
        let started = false;
        const run = t.app.get(JobRunner).run('polite', async () => {
          started = true;
          await new Promise((r) => setTimeout(r, 300));
          return { recordsProcessed: 7 };
        });
        await waitFor('the run to start', () => started);
        await t.close({ keepDatabase: true });
        expect(await run).toMatchObject({ status: 'success', recordsProcessed: 7 });
      } finally {
        await dropDatabase(url);
      }
    },
    HOOK_TIMEOUT_MS,
  );
});

describe('JobRunCommand', () => {
  const env = testEnv({ LOG_LEVEL: 'error' }, 'ops_cli');

  afterAll(async () => {
    await dropDatabase(env.DATABASE_URL as string);
  }, HOOK_TIMEOUT_MS);

  it(
    'should run a job through the runner and print its outcome, and log nothing for a dry run',
    async () => {
      const dry = spawnTs('src/cli.ts', ['job', 'run', 'audit-prune', '--dry-run'], env);
      const dryExit = await exitWithin(dry, BOOT_MS);
      expect(dry.stderr()).toBe('');
      expect(dryExit.code).toBe(0);
      expect(dry.stdout()).toMatch(
        /^job audit-prune \(dry run, nothing written\): success in \d+\.\d\d s, 0 records \(not logged\)$/m,
      );
      expect(dry.stdout()).toContain('"dry_run": true');

      const cli = spawnTs('src/cli.ts', ['job', 'run', 'audit-prune'], env);
      const exit = await exitWithin(cli, BOOT_MS);
      expect(cli.stderr()).toBe('');
      expect(exit.code).toBe(0);
      expect(cli.stdout()).toMatch(
        /^job audit-prune: success in \d+\.\d\d s, 0 records \(cron_job_log #\d+\)$/m,
      );
      const rows = await withPg(env.DATABASE_URL as string, (c) =>
        c.query(`SELECT status FROM cron_job_log WHERE job_name = 'audit-prune'`),
      );
      expect(rows.rows).toEqual([{ status: 'success' }]);
    },
    2 * BOOT_MS + 10_000,
  );

  it(
    'should reject an unknown job name listing the valid ones, with exit code 2 (a bad option)',
    async () => {
      const cli = spawnTs('src/cli.ts', ['job', 'run', 'weekly'], env);
      const exit = await exitWithin(cli, BOOT_MS);
      expect(exit.code).toBe(2);
      expect(cli.stderr()).toContain(
        'unknown job "weekly"; valid job names: hourly, daily-correlation, retention, audit-prune',
      );
    },
    BOOT_MS + 10_000,
  );

  it(
    'should list the jobs with schedule, next run and last status',
    async () => {
      const cli = spawnTs('src/cli.ts', ['job', 'list'], env);
      const exit = await exitWithin(cli, BOOT_MS);
      expect(exit.code).toBe(0);
      const lines = cli.stdout().trim().split('\n');
      expect(lines[0]).toMatch(/^NAME\s+SCHEDULE\s+ENABLED\s+NEXT RUN\s+LAST RUN\s+LAST STATUS$/);
      const auditPrune = lines.find((l) => l.startsWith('audit-prune'));
      expect(auditPrune).toMatch(
        /0 30 \* \* \* \* \(UTC\)\s+yes\s+\S+:30:00\.000Z\s+\S+Z\s+success$/,
      );
      expect(lines.find((l) => l.startsWith('hourly'))).toMatch(/\s-\s+-$/);
    },
    BOOT_MS + 10_000,
  );
});
