import request from 'supertest';
import { dropDatabase } from '../src/platform/database/ensure-database';
import { exitWithin, freePort, spawnTs, waitFor } from './utils/ops-helpers';
import { testEnv } from './utils/test-env';

/** Boot of a TypeScript child process (transpile + Nest boot) on a busy 2-core machine. */
const BOOT_MS = 90_000;
const SHUTDOWN_MS = 15_000;

describe('Shutdown logging', () => {
  it(
    'should log the signal when it arrives and, as its last line, that the shutdown is done and how long it took',
    async () => {
      const port = await freePort();
      const env = testEnv(
        {
          PORT: String(port),
          LOG_FORMAT: 'json',
          LOG_LEVEL: 'log',
          INSTANCE_ID: 'ops-shutdown-log',
        },
        'ops_shutdown_log',
      );
      const app = spawnTs('src/main.ts', [], env);
      try {
        await waitFor(
          'the app to answer /health',
          async () => {
            if (app.child.exitCode !== null) throw new Error(`app exited early:\n${app.stderr()}`);
            const status = await request(`http://127.0.0.1:${port}`)
              .get('/health')
              .then((r) => r.status)
              .catch(() => 0);
            return status === 200;
          },
          BOOT_MS,
          250,
        );
        const linesBefore = app.stdout().split('\n').filter(Boolean).length;

        const sentAt = performance.now();
        app.child.kill('SIGTERM');
        const exit = await exitWithin(app, SHUTDOWN_MS);
        const wallMs = performance.now() - sentAt;

        expect(exit).toEqual({ code: 0, signal: null });
        const lines = app
          .stdout()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>);
        const started = lines.filter((l) => l.event === 'shutdown_started');
        const done = lines.filter((l) => l.event === 'shutdown_done');
        expect(started).toEqual([
          expect.objectContaining({
            level: 'log',
            signal: 'SIGTERM',
            message: 'received SIGTERM; shutting down',
          }),
        ]);
        expect(done).toHaveLength(1);
        // Nothing was logged about a shutdown before the signal, and "done" is the very last line.
        expect(lines.findIndex((l) => l.event === 'shutdown_started')).toBeGreaterThanOrEqual(
          linesBefore,
        );
        expect(lines[lines.length - 1]).toBe(done[0]);
        expect(done[0]).toMatchObject({ level: 'log', signal: 'SIGTERM', exit_code: 0 });
        const ms = done[0].duration_ms as number;
        expect(Number.isInteger(ms)).toBe(true);
        // Measured inside the child from the signal to its exit: within what the parent saw.
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(ms).toBeLessThanOrEqual(wallMs);
        expect(done[0].message).toBe(`shutdown after SIGTERM done in ${ms} ms (exit code 0)`);
      } finally {
        if (app.child.exitCode === null) app.child.kill('SIGKILL');
        await dropDatabase(env.DATABASE_URL as string);
      }
    },
    BOOT_MS + 60_000,
  );
});
