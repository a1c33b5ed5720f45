import { DataSource } from 'typeorm';
import { HOUR_MS } from '../src/platform/time';
import { JobsService } from '../src/jobs/jobs.service';
import { RetentionService } from '../src/retention/retention.service';
import {
  AUDIT_PARTITIONS_AHEAD,
  auditPartitionName,
  ensureAuditPartitions,
  hourFloor,
  listAuditPartitions,
} from '../src/prices/audit-partitions';
import { PriceAuditService } from '../src/prices/price-audit.store';
import { eventually } from './utils/realtime-client';
import { startTestApp, TestApp } from './utils/test-app';

const HOOK_TIMEOUT_MS = 60_000;
const MINUTE = 60_000;

const count = async (db: DataSource, where = 'TRUE', params: unknown[] = []): Promise<number> =>
  (
    await db.query(`SELECT count(*)::int AS n FROM real_time_prices_audit WHERE ${where}`, params)
  )[0].n;

/** Names of the partitions of the current hour and the hours after it. */
const aheadNames = (from: number, hours: number): string[] =>
  Array.from({ length: hours + 1 }, (_, h) => auditPartitionName(new Date(from + h * HOUR_MS)));

describe('real_time_prices_audit partitions', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ AUDIT_RETENTION_HOURS: '24' }, 'audit_partitions');
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await t?.close();
  }, HOOK_TIMEOUT_MS);

  it('should be partitioned by hour with partitions ahead of the clock at boot', async () => {
    const [{ kind }] = await t.dataSource.query(
      `SELECT relkind AS kind FROM pg_class WHERE relname = 'real_time_prices_audit'`,
    );
    expect(kind).toBe('p');
    const names = (await listAuditPartitions(t.dataSource)).map((p) => p.name);
    const now = hourFloor(Date.now());
    // Boot may straddle an hour: the hour it booted in or the next one is the first.
    const fromBoot = names.includes(aheadNames(now, 0)[0]) ? now : now + HOUR_MS;
    expect(names).toEqual(expect.arrayContaining(aheadNames(fromBoot, AUDIT_PARTITIONS_AHEAD - 1)));
  });

  it('should prune by dropping whole partitions and keep every row of the last 24 h', async () => {
    const retention = t.app.get(RetentionService);
    const now = Date.now();
    // One row every 10 minutes for the last 30 hours, in partitions of their own.
    await ensureAuditPartitions(t.dataSource, new Date(now - 31 * HOUR_MS), 31);
    await t.dataSource.query(
      `INSERT INTO real_time_prices_audit (instrument, bid, ask, mid, timestamp)
       SELECT 'EUR_USD', 1.1, 1.1002, 1.1001, to_timestamp($1::float8 / 1000) - g * interval '10 minutes'
         FROM generate_series(1, 180) AS g`,
      [now],
    );
    // A stray in the default partition (an hour that had no partition), also past the cutoff.
    await t.dataSource.query(
      `INSERT INTO real_time_prices_audit (instrument, bid, ask, mid, timestamp)
       VALUES ('EUR_USD', 1, 1, 1, '2020-01-01T00:00:00Z')`,
    );
    const cutoff = new Date(now - 24 * HOUR_MS);
    const inside = await count(t.dataSource, 'timestamp >= $1', [cutoff]);
    expect(inside).toBe(144);
    const partitionsBefore = await listAuditPartitions(t.dataSource);
    const doomed = partitionsBefore.filter((p) => p.to.getTime() <= cutoff.getTime());
    expect(doomed.length).toBeGreaterThanOrEqual(5);
    // Every row before the hour holding the cutoff, the stray included.
    const doomedRows = await count(t.dataSource, 'timestamp < $1', [
      new Date(hourFloor(cutoff.getTime())),
    ]);

    const dry = await retention.pruneAudit({ now: new Date(now), dryRun: true });
    expect(dry.tables[0]).toMatchObject({ rows: doomedRows, partitions: doomed.length });
    expect((await listAuditPartitions(t.dataSource)).length).toBe(partitionsBefore.length);

    const result = await retention.pruneAudit({ now: new Date(now) });
    expect(result.tables[0]).toMatchObject({ rows: doomedRows, partitions: doomed.length });
    const after = (await listAuditPartitions(t.dataSource)).map((p) => p.name);
    for (const p of doomed) expect(after).not.toContain(p.name);
    // Nothing inside the 24 h is lost; what is older survives only in the hour holding the cutoff.
    expect(await count(t.dataSource, 'timestamp >= $1', [cutoff])).toBe(inside);
    expect(
      await count(t.dataSource, 'timestamp < $1', [new Date(hourFloor(cutoff.getTime()))]),
    ).toBe(0);
    // A second run finds nothing more.
    expect((await retention.pruneAudit({ now: new Date(now) })).total).toBe(0);
  });

  it('should create the partitions ahead in the audit-prune job, moving rows out of the default partition', async () => {
    const now = hourFloor(Date.now());
    const later = new Date(now + 2 * HOUR_MS + 5 * MINUTE);
    // The partitions ahead are gone (say the job did not run for a while): rows land in the default one.
    for (const name of aheadNames(now + HOUR_MS, AUDIT_PARTITIONS_AHEAD - 1))
      await t.dataSource.query(`DROP TABLE IF EXISTS ${name}`);
    await t.dataSource.query(
      `INSERT INTO real_time_prices_audit (instrument, bid, ask, mid, timestamp) VALUES ('USD_JPY', 150.1, 150.2, 150.15, $1)`,
      [later],
    );
    const [{ n: inDefault }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM real_time_prices_audit_default WHERE timestamp = $1`,
      [later],
    );
    expect(inDefault).toBe(1);

    const result = await t.app.get(JobsService).execute('audit-prune');
    expect(result.status).toBe('success');
    const names = (await listAuditPartitions(t.dataSource)).map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(aheadNames(now + HOUR_MS, AUDIT_PARTITIONS_AHEAD - 1)),
    );
    const [{ n: moved }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM ${auditPartitionName(new Date(now + 2 * HOUR_MS))} WHERE timestamp = $1`,
      [later],
    );
    expect(moved).toBe(1);
    expect(await count(t.dataSource, 'timestamp = $1', [later])).toBe(1);
  });
});

describe('live-price audit sampling', () => {
  let t: TestApp;

  beforeAll(async () => {
    // 20 instruments ticking every 50 ms: 400 ticks/s, far more than one per instrument per second.
    t = await startTestApp(
      {
        PRICE_STREAM_ENABLED: 'true',
        SIMULATED_TICK_INTERVAL_MS: '50',
        PRICE_AUDIT_INTERVAL_MS: '1000',
      },
      'audit_sampling',
    );
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await t?.close();
  }, HOOK_TIMEOUT_MS);

  it('should write at most one row per instrument per second, the last price of it', async () => {
    const audit = t.app.get(PriceAuditService);
    await eventually(() => audit.stats().written >= 60, 30_000);
    const rows = await t.dataSource.query(
      `SELECT count(*)::int AS rows, count(DISTINCT instrument)::int AS instruments,
              count(DISTINCT (instrument, date_trunc('second', timestamp)))::int AS seconds
         FROM real_time_prices_audit`,
    );
    expect(rows[0].instruments).toBe(20);
    expect(rows[0].rows).toBe(rows[0].seconds);
    expect(audit.stats().sampled_out).toBeGreaterThan(audit.stats().written);
  });
});
