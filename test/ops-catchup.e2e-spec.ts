import { CronJobLog } from '../src/platform/jobs/cron-job-log.entity';
import { JobScheduler } from '../src/jobs/job-scheduler.service';
import { PROCESS_DIED } from '../src/platform/jobs/job-runner.service';
import { startTestApp, TestApp } from './utils/test-app';
import { waitFor } from './utils/ops-helpers';

/** Booting an app (migrations, Redis connect timeouts) on a busy 2-core machine. */
const HOOK_TIMEOUT_MS = 60_000;

const HOUR = 3_600_000;

/**
 * Boot-time behaviour: a database is prepared by one app (scheduler off), then
 * a second app boots on it with the scheduler and catch-up on.
 */
describe(JobScheduler.name, () => {
  let seed: TestApp | undefined;
  let t: TestApp;
  let staleId: number;

  beforeAll(async () => {
    seed = await startTestApp({}, 'ops_catchup');
    const logs = seed.dataSource.getRepository(CronJobLog);
    const ago = (ms: number) => new Date(Date.now() - ms);
    const row = (jobName: string, status: CronJobLog['status'], start: Date) =>
      logs.create({
        jobName,
        status,
        startTime: start,
        endTime: start,
        durationSeconds: 0,
        recordsProcessed: 0,
      });
    // audit-prune (hourly) last succeeded 2 h ago: overdue. retention (weekly) 1 day ago: not due.
    await logs.save(row('audit-prune', 'success', ago(2 * HOUR)));
    await logs.save(row('retention', 'success', ago(24 * HOUR)));
    // A newer failed run does not count as a success.
    await logs.save(row('audit-prune', 'failed', ago(10 * 60_000)));
    // Left `running` by a process that died: nobody holds its lock.
    const stale = await logs.save(
      logs.create({
        jobName: 'daily-correlation',
        status: 'running',
        startTime: ago(HOUR),
        recordsProcessed: 0,
      }),
    );
    staleId = stale.id;
    const databaseUrl = seed.env.DATABASE_URL;
    await seed.close({ keepDatabase: true });
    seed = undefined;

    t = await startTestApp(
      {
        DATABASE_URL: databaseUrl,
        SCHEDULER_ENABLED: 'true',
        JOBS_CATCH_UP_ON_BOOT: 'true',
        // Jobs whose steps belong to other modules stay off: this test is about the scheduler.
        HOURLY_JOB_ENABLED: 'false',
        DAILY_JOB_ENABLED: 'false',
        INSTANCE_ID: 'ops-catchup',
      },
      'ops_catchup',
    );
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await seed?.close();
    await t?.close();
  }, HOOK_TIMEOUT_MS);

  it('should run an overdue job once at start-up', async () => {
    const runs = await waitFor('the catch-up run of audit-prune', async () => {
      const rows = await t.dataSource
        .getRepository(CronJobLog)
        .find({ where: { jobName: 'audit-prune', instanceId: 'ops-catchup' } });
      return rows.some((r) => r.status !== 'running') ? rows : null;
    });
    expect(runs).toHaveLength(1);
    expect(runs[0].status).toBe('success');
  }, 30_000);

  it('should not run a job whose last success is within its period', async () => {
    const decisions = await t.app.get(JobScheduler).catchUp;
    expect(decisions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ job: 'audit-prune', due: true }),
        expect.objectContaining({ job: 'retention', due: false }),
      ]),
    );
    const retention = await t.dataSource
      .getRepository(CronJobLog)
      .find({ where: { jobName: 'retention' } });
    expect(retention).toHaveLength(1);
  });

  it('should not consider disabled jobs', async () => {
    const decisions = (await t.app.get(JobScheduler).catchUp) ?? [];
    expect(decisions.map((d) => d.job)).not.toContain('hourly');
    expect(decisions.map((d) => d.job)).not.toContain('daily-correlation');
  });

  it('should close a running row left by a dead process at boot', async () => {
    const row = await t.dataSource.getRepository(CronJobLog).findOneByOrFail({ id: staleId });
    expect(row.status).toBe('failed');
    expect(row.errorMessage).toBe(PROCESS_DIED);
    expect(row.endTime).not.toBeNull();
  });
});
