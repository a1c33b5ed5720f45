import request from 'supertest';
import { JobsService } from '../src/jobs/jobs.service';
import { RetentionJobSteps } from '../src/retention/retention.job-steps';
import type { JobRunOptions } from '../src/platform/jobs/job-registry.service';
import { bearer, captureOutput, createKey } from './utils/auth-helpers';
import { waitFor } from './utils/ops-helpers';
import { startTestApp, TestApp } from './utils/test-app';

describe('Admin actions over REST', () => {
  let t: TestApp;
  let output: ReturnType<typeof captureOutput>;
  let admin: { key: string; prefix: string };
  /** audit-prune's step, wrapped to hold the run until the test lets it go. */
  let release: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  const seen: JobRunOptions[] = [];

  beforeAll(async () => {
    output = captureOutput();
    t = await startTestApp({ AUTH_MODE: 'keys', LOG_LEVEL: 'log' }, 'auth_admin');
    admin = await createKey(t, 'admin');
    // The registry looks the step's method up at each run, so replacing it on the instance takes effect.
    const steps = t.app.get(RetentionJobSteps);
    const auditPrune = steps.auditPrune.bind(steps);
    steps.auditPrune = async (ctx) => {
      seen.push(ctx.options);
      await gate;
      return auditPrune(ctx);
    };
  });

  afterAll(async () => {
    release();
    await t?.close();
    output?.restore();
  });

  const logRow = async (id: number) =>
    (
      await t.dataSource.query<Array<{ status: string; triggered_by: string }>>(
        'SELECT status, triggered_by FROM cron_job_log WHERE id = $1',
        [id],
      )
    )[0];

  it('should start a job with 202 and its log id, then answer 409 with that id while it runs', async () => {
    gate = new Promise((resolve) => (release = resolve));
    const started = await request(t.url)
      .post('/api/v1/jobs/audit-prune/run')
      .set(bearer(admin.key))
      .send({ as_of: '2026-11-20', instruments: ['EUR_USD'] });
    expect(started.status).toBe(202);
    expect(started.body).toEqual({
      log_id: expect.any(Number),
      job: 'audit-prune',
      status: 'running',
      triggered_by: `key:${admin.prefix}`,
    });
    const id = started.body.log_id as number;
    expect(await logRow(id)).toEqual({ status: 'running', triggered_by: `key:${admin.prefix}` });
    await waitFor('the gate step to start', () => seen.length === 1);
    expect(seen[0]).toEqual({
      asOf: new Date('2026-11-20T00:00:00Z'),
      instruments: ['EUR_USD'],
      dryRun: false,
    });

    const conflict = await request(t.url)
      .post('/api/v1/jobs/audit-prune/run')
      .set(bearer(admin.key))
      .send({});
    expect(conflict.status).toBe(409);
    expect(conflict.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: `job audit-prune is already running (log #${id})`,
      running_id: id,
    });

    release();
    await waitFor('the run to finish', async () => (await logRow(id)).status !== 'running');
    expect(await logRow(id)).toEqual({ status: 'success', triggered_by: `key:${admin.prefix}` });
    const listed = await request(t.url)
      .get('/api/v1/jobs?name=audit-prune&limit=5')
      .set(bearer(admin.key));
    expect(listed.body.runs.find((r: { id: number }) => r.id === id)).toMatchObject({
      status: 'success',
      triggered_by: `key:${admin.prefix}`,
    });
  });

  it('should answer a dry run with what it would change, writing no log row', async () => {
    const [{ n: before }] = await t.dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM cron_job_log`,
    );
    const dry = await request(t.url)
      .post('/api/v1/jobs/audit-prune/run')
      .set(bearer(admin.key))
      .send({ dry_run: true });
    expect(dry.status).toBe(202);
    expect(dry.body).toMatchObject({
      log_id: null,
      job: 'audit-prune',
      status: 'success',
      triggered_by: `key:${admin.prefix}`,
      dry_run: true,
    });
    expect(dry.body.details).toMatchObject({ dry_run: true });
    expect(seen.at(-1)).toMatchObject({ dryRun: true });
    const [{ n: after }] = await t.dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM cron_job_log`,
    );
    expect(after).toBe(before);
  });

  it('should record schedule as the trigger of runs that do not name one', async () => {
    const result = await t.app.get(JobsService).execute('audit-prune');
    expect(await logRow(result.logId!)).toEqual({ status: 'success', triggered_by: 'schedule' });
  });

  it('should answer 400 naming the field for a bad body and 404 for an unknown job', async () => {
    const cases: Array<[object, string]> = [
      [{ instruments: ['XXX_YYY'] }, 'XXX_YYY'],
      [{ instruments: 'EUR_USD' }, 'instruments must be an array'],
      [{ as_of: '2026-02-30' }, 'as_of'],
      [{ dry_run: 'yes' }, 'dry_run must be true or false'],
      [{ force: true }, 'property force should not exist'],
    ];
    for (const [body, message] of cases) {
      const res = await request(t.url)
        .post('/api/v1/jobs/hourly/run')
        .set(bearer(admin.key))
        .send(body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(message);
    }
    const unknown = await request(t.url)
      .post('/api/v1/jobs/nightly/run')
      .set(bearer(admin.key))
      .send({});
    expect(unknown.status).toBe(404);
  });

  it('should clear the cache for an admin key', async () => {
    const res = await request(t.url).post('/api/v1/cache/clear').set(bearer(admin.key));
    expect(res.status).toBe(200);
    expect(res.body.deleted).toEqual(
      expect.objectContaining({ price: expect.any(Number), best_pairs: expect.any(Number) }),
    );
  });

  it('should log every admin action with the key prefix and never the key', () => {
    const logs = output.text();
    expect(logs).toContain(`key:${admin.prefix} started job audit-prune`);
    expect(logs).toContain(`key:${admin.prefix} asked to run job audit-prune: refused`);
    expect(logs).toContain(`key:${admin.prefix} cleared the cache`);
    expect(logs).not.toContain(admin.key);
  });
});
