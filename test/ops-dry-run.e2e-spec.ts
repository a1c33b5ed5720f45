import { createClient } from 'redis';
import { BackfillService } from '../src/ingestion/backfill.service';
import { JOB_NAMES, type JobName } from '../src/platform/config/job-definitions';
import { JobsService } from '../src/jobs/jobs.service';
import type { JobRunResult } from '../src/platform/jobs/job.types';
import { runCli } from './utils/ops-helpers';
import { startTestApp, type TestApp } from './utils/test-app';
import { TEST_REDIS_URL } from './utils/test-env';

const DAY = 86_400_000;
const INSTRUMENTS = ['EUR_USD', 'GBP_USD', 'USD_JPY', 'USD_CHF'];

interface Snapshot {
  tables: Record<string, { rows: number; md5: string }>;
  redis: Record<string, string | null>;
}

type StepDetails = Record<string, { status?: string; details?: Record<string, unknown> }>;

// Issue 9 item 9: `job run daily-correlation --dry-run` overwrote 380 correlation rows and
// logged a success row. A dry run of any job now computes and counts but writes nothing:
// no table row (cron_job_log included), no Redis key, no published message.
describe('job dry runs', () => {
  let t: TestApp;
  let jobs: JobsService;
  const subscriber = createClient({ url: TEST_REDIS_URL });
  const redis = createClient({ url: TEST_REDIS_URL });
  const published: string[] = [];
  const today = new Date().toISOString().slice(0, 10);
  const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);

  /** Row count and checksum of every table of the schema (so a new table is covered too). */
  const snapshot = async (): Promise<Snapshot> => {
    const names = await t.dataSource.query<Array<{ name: string }>>(
      // Partitions are read through their parent: creating an empty audit partition ahead at
      // boot (the CLI run starts an app, maybe in a new hour) is upkeep, not a dry run's write.
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       ORDER BY c.relname`,
    );
    const tables: Snapshot['tables'] = {};
    for (const { name } of names) {
      const [row] = await t.dataSource.query<Array<{ rows: number; md5: string }>>(
        `SELECT count(*)::int AS rows,
                md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS md5
         FROM "${name}" x`,
      );
      tables[name] = row;
    }
    const keys: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: `*${t.env.REDIS_KEY_PREFIX}*` }))
      keys.push(...batch);
    const values: Snapshot['redis'] = {};
    for (const key of keys.sort()) values[key] = await redis.get(key);
    return { tables, redis: values };
  };

  const steps = (result: JobRunResult): StepDetails => (result.details?.steps ?? {}) as StepDetails;

  beforeAll(async () => {
    t = await startTestApp(
      { INSTRUMENTS: INSTRUMENTS.join(','), CORRELATION_WINDOWS: '20,50' },
      'dry_run',
    );
    jobs = t.app.get(JobsService);
    await redis.connect();
    await subscriber.connect();
    await subscriber.pSubscribe(`${t.env.REDIS_KEY_PREFIX}*`, (message, channel) => {
      published.push(`${channel} ${message}`);
    });

    // Real history and real runs first, so each dry run has something it would change.
    const fill = await t.app
      .get(BackfillService)
      .run({ instruments: INSTRUMENTS, granularity: 'H1', days: 12, now: new Date() });
    expect(fill.job.status).toBe('success');
    expect((await jobs.execute('hourly')).status).toBe('success');
    expect((await jobs.execute('daily-correlation', { asOf: new Date(yesterday) })).status).toBe(
      'success',
    );
    expect((await jobs.execute('daily-correlation')).status).toBe('success');

    // Today's rows of one pair gone (would be inserted again), the newest candles of one
    // instrument gone (the sync would fetch them), rows past retention in two tables.
    await t.dataSource.query(
      `DELETE FROM correlation_matrix WHERE time = $1::date AND pair1 = 'EUR_USD' AND pair2 = 'GBP_USD'`,
      [today],
    );
    await t.dataSource.query(
      `DELETE FROM oanda_candles WHERE id IN (
         SELECT id FROM oanda_candles WHERE instrument = 'USD_CHF' ORDER BY time DESC LIMIT 3)`,
    );
    await t.dataSource.query(
      `INSERT INTO correlation_matrix (pair1, pair2, time, correlation, window_size, sample_size, calculated_at)
       VALUES ('EUR_USD', 'GBP_USD', (now() - interval '400 days')::date, 0.5, 20, 20, now())`,
    );
    await t.dataSource.query(
      `INSERT INTO real_time_prices_audit (instrument, bid, ask, mid, timestamp)
       VALUES ('EUR_USD', 1.1, 1.1002, 1.1001, now() - interval '2 days')`,
    );
    // The real runs above filled the cache; empty it so a dry run that refreshes any key shows.
    for await (const batch of redis.scanIterator({ MATCH: `*${t.env.REDIS_KEY_PREFIX}*` }))
      if (batch.length) await redis.del(batch);
    // The recorder works: a message published now arrives (so "none arrived" below means none was sent).
    await redis.publish(`${t.env.REDIS_KEY_PREFIX}probe`, 'probe');
    const deadline = Date.now() + 5_000;
    while (!published.some((m) => m.endsWith(' probe')) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 25));
    // Everything the real runs published arrived before the probe (one server, in order).
    expect(published[published.length - 1]).toBe(`${t.env.REDIS_KEY_PREFIX}probe probe`);
    published.length = 0;
  }, 300_000);

  afterAll(async () => {
    if (subscriber.isOpen) await subscriber.quit();
    if (redis.isOpen) await redis.quit();
    await t?.close();
  });

  it('should cover every job', () => {
    expect([...JOB_NAMES].sort()).toEqual(
      ['audit-prune', 'daily-correlation', 'hourly', 'retention'].sort(),
    );
  });

  it('should change no table, Redis key or channel, and report counts, for every job', async () => {
    const before = await snapshot();
    expect(before.tables.cron_job_log.rows).toBeGreaterThan(0);
    const results = {} as Record<JobName, JobRunResult>;
    for (const name of JOB_NAMES) results[name] = await jobs.execute(name, { dryRun: true });

    // A publish takes a moment to arrive; wait a little, then nothing may have come.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(published).toEqual([]);
    expect(await snapshot()).toEqual(before);

    for (const name of JOB_NAMES) {
      expect({ name, status: results[name].status }).toEqual({ name, status: 'success' });
      expect(results[name]).toMatchObject({ dryRun: true, logId: null });
      for (const [step, outcome] of Object.entries(steps(results[name])))
        expect({ step, dry_run: outcome.details?.dry_run }).toEqual({ step, dry_run: true });
    }

    const hourly = steps(results.hourly);
    expect(hourly.sync.details?.would_insert).toBeGreaterThanOrEqual(3);
    expect(hourly.metrics.details?.would_write).toEqual(expect.any(Number));

    const daily = steps(results['daily-correlation']);
    // Four instruments: 6 pairs x 2 windows; EUR_USD/GBP_USD's two rows were deleted.
    expect(daily.correlation.details).toMatchObject({ would_insert: 2, would_update: 10 });
    // The correlation alerts are the alerts step's built-in rules now: a dry run judges nothing.
    expect(daily.alerts.details).toMatchObject({ dry_run: true });
    expect(daily['best-pairs'].details).toMatchObject({ would_delete: 12, would_insert: 12 });

    expect(steps(results.retention).data.details).toMatchObject({ would_delete: 1 });
    expect(steps(results.retention).audit.details).toMatchObject({ would_delete: 1 });
    expect(steps(results['audit-prune']).audit.details).toMatchObject({ would_delete: 1 });
  }, 180_000);

  it('should do the same through the CLI and print what each step would change', async () => {
    const before = await snapshot();
    const run = await runCli(['job', 'run', 'daily-correlation', '--dry-run'], {
      ...t.env,
      LOG_LEVEL: 'warn',
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^job daily-correlation \(dry run, nothing written\): success/m);
    expect(run.stdout).toMatch(/^would change: correlation: insert 2, update 10$/m);
    expect(run.stdout).toMatch(/^would change: best-pairs: delete 12, insert 12$/m);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(published).toEqual([]);
    expect(await snapshot()).toEqual(before);
  }, 240_000);
});
