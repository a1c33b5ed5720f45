import request from 'supertest';
import { CronJobLog } from '../src/platform/jobs/cron-job-log.entity';
import { JobsService } from '../src/jobs/jobs.service';
import { JobRunner, PROCESS_DIED } from '../src/platform/jobs/job-runner.service';
import { JobOutcome } from '../src/platform/jobs/job.types';
import { startTestApp, TestApp } from './utils/test-app';
import { waitFor } from './utils/ops-helpers';

/** Booting an app (migrations, Redis connect timeouts) on a busy 2-core machine. */
const HOOK_TIMEOUT_MS = 60_000;

describe(JobRunner.name, () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await startTestApp({ INSTANCE_ID: 'ops-a' }, 'ops_jobs');
    // A second instance on the same database, like a second replica.
    b = await startTestApp({ INSTANCE_ID: 'ops-b', DATABASE_URL: a.env.DATABASE_URL }, 'ops_jobs');
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await b?.close({ keepDatabase: true });
    await a?.close();
  }, HOOK_TIMEOUT_MS);

  const rowsOf = (name: string) =>
    a.dataSource.getRepository(CronJobLog).find({ where: { jobName: name }, order: { id: 'ASC' } });

  it('should run a job on one instance and log skipped on the other', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = a.app.get(JobRunner).run('race', async (): Promise<JobOutcome> => {
      await gate;
      return { recordsProcessed: 3 };
    });
    await waitFor('the first run to log running', async () =>
      (await rowsOf('race')).some((r) => r.status === 'running'),
    );
    const second = await b.app.get(JobRunner).run('race', async () => ({ recordsProcessed: 99 }));
    release();
    const won = await first;

    expect(won.status).toBe('success');
    expect(won.recordsProcessed).toBe(3);
    expect(second.status).toBe('skipped');
    const rows = await rowsOf('race');
    expect(rows.map((r) => [r.status, r.instanceId])).toEqual([
      ['success', 'ops-a'],
      ['skipped', 'ops-b'],
    ]);
    expect(rows[1].details).toEqual({ reason: 'another run holds the lock' });
    const metrics = await request(b.url).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^job_runs_total\{job="race",status="skipped"\} 1$/m);
  }, 30_000);

  it('should time out a hung job, abort its signal and release the lock', async () => {
    const runner = a.app.get(JobRunner);
    let signal: AbortSignal | undefined;
    const result = await runner.run(
      'hung',
      (ctx) => {
        signal = ctx.signal;
        return new Promise<JobOutcome>(() => undefined);
      },
      { timeoutSeconds: 1 },
    );
    expect(result.status).toBe('failed');
    expect(result.errorMessage).toBe('timed out after 1 s');
    expect(signal?.aborted).toBe(true);
    const [row] = await rowsOf('hung');
    expect(row.status).toBe('failed');
    expect(row.endTime).not.toBeNull();
    // The lock is free again: the next run (here, from the other instance) is not skipped.
    const next = await b.app.get(JobRunner).run('hung', async () => ({ recordsProcessed: 1 }));
    expect(next.status).toBe('success');
  }, 15_000);

  it('should record a job that throws as failed with its message', async () => {
    const result = await a.app.get(JobRunner).run('throws', async () => {
      throw new Error('provider unreachable');
    });
    expect(result.status).toBe('failed');
    expect(result.errorMessage).toBe('provider unreachable');
    const metrics = await request(a.url).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^job_runs_total\{job="throws",status="failed"\} 1$/m);
  });

  it('should close a stale running row as failed only when nobody holds its lock', async () => {
    const logs = a.dataSource.getRepository(CronJobLog);
    const stale = await logs.save(
      logs.create({
        jobName: 'crashed',
        status: 'running',
        startTime: new Date(Date.now() - 60_000),
        recordsProcessed: 0,
      }),
    );
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const live = a.app.get(JobRunner).run('alive', async () => {
      await gate;
      return { recordsProcessed: 0 };
    });
    await waitFor('the live run to log running', async () =>
      (await rowsOf('alive')).some((r) => r.status === 'running'),
    );

    const closed = await b.app.get(JobRunner).reconcileStaleRuns();
    release();
    await live;

    expect(closed).toBe(1);
    const after = await logs.findOneByOrFail({ id: stale.id });
    expect(after.status).toBe('failed');
    expect(after.errorMessage).toBe(PROCESS_DIED);
    expect((await rowsOf('alive'))[0].status).toBe('success');
  }, 30_000);

  it('should run a scheduled job through the registry steps', async () => {
    const result = await a.app.get(JobsService).execute('audit-prune');
    expect(result.status).toBe('success');
    expect(result.details).toMatchObject({ steps: { audit: { status: 'success' } } });
  });
});

describe('JobsController', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ RETENTION_JOB_ENABLED: 'false' }, 'ops_jobs_api');
    const runner = t.app.get(JobRunner);
    await runner.run('hourly', async () => ({ recordsProcessed: 20 }));
    await runner.run('hourly', async () => {
      throw new Error('boom');
    });
    await runner.run('retention', async () => ({ recordsProcessed: 0 }));
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await t?.close();
  }, HOOK_TIMEOUT_MS);

  it('should list recent runs newest first', async () => {
    const res = await request(t.url).get('/api/v1/jobs').expect(200);
    expect(res.body.count).toBe(3);
    expect(res.body.runs.map((r: { job_name: string }) => r.job_name)).toEqual([
      'retention',
      'hourly',
      'hourly',
    ]);
    expect(res.body.runs[1]).toMatchObject({
      job_name: 'hourly',
      status: 'failed',
      error_message: 'boom',
      records_processed: 0,
    });
    expect(Date.parse(res.body.runs[0].start_time)).not.toBeNaN();
  });

  it('should filter by name, status and limit', async () => {
    const res = await request(t.url)
      .get('/api/v1/jobs?name=hourly&status=success&limit=5')
      .expect(200);
    expect(res.body.runs).toHaveLength(1);
    expect(res.body.runs[0]).toMatchObject({
      job_name: 'hourly',
      status: 'success',
      records_processed: 20,
    });
    const limited = await request(t.url).get('/api/v1/jobs?limit=1').expect(200);
    expect(limited.body.count).toBe(1);
  });

  it.each([
    ['status=done', 'status must be one of'],
    ['name=weekly', 'name must be one of'],
    ['limit=0', 'limit must be between 1 and 500'],
    ['limit=abc', 'limit must be an integer'],
    ['limit=501', 'limit must be between 1 and 500'],
    ['sort=asc', 'property sort should not exist'],
  ])('should answer 400 naming the field for %s', async (query, message) => {
    const res = await request(t.url).get(`/api/v1/jobs?${query}`).expect(400);
    expect(JSON.stringify(res.body.message)).toContain(message);
  });

  it('should describe one job with schedule, next run and last runs', async () => {
    const res = await request(t.url).get('/api/v1/jobs/hourly').expect(200);
    expect(res.body).toMatchObject({
      name: 'hourly',
      schedule: '0 2 * * * *',
      timezone: 'UTC',
      enabled: true,
      scheduled: false, // the test app runs with SCHEDULER_ENABLED=false
      period_seconds: 3600,
      running: false,
    });
    expect(new Date(res.body.next_run).getUTCMinutes()).toBe(2);
    expect(res.body.last_run).toMatchObject({ status: 'failed', error_message: 'boom' });
    expect(res.body.last_success).toMatchObject({ status: 'success', records_processed: 20 });
    expect(res.body.recent_runs).toHaveLength(2);
  });

  it('should show a disabled job and its weekly schedule', async () => {
    const res = await request(t.url).get('/api/v1/jobs/retention').expect(200);
    expect(res.body.enabled).toBe(false);
    const next = new Date(res.body.next_run);
    expect([next.getUTCDay(), next.getUTCHours(), next.getUTCMinutes()]).toEqual([0, 2, 0]);
    expect(res.body.period_seconds).toBe(7 * 86400);
  });

  it('should answer 404 listing the valid names for an unknown job', async () => {
    const res = await request(t.url).get('/api/v1/jobs/hourlyy').expect(404);
    expect(res.body.message).toBe(
      'unknown job "hourlyy"; valid job names: hourly, daily-correlation, retention, audit-prune',
    );
  });

  it('should document the jobs routes in Swagger', async () => {
    const res = await request(t.url).get('/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/jobs', '/api/v1/jobs/{name}']),
    );
  });
});
