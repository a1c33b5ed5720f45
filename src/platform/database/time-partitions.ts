import { DataSource, EntityManager } from 'typeorm';

/**
 * Range partitions of a table partitioned on one time column (declarative
 * `PARTITION BY RANGE`), by UTC hour or UTC calendar month. Used by
 * real_time_prices_audit (hours), oanda_candles and volatility_metrics
 * (months). Partitions are named after their first unit,
 * `oanda_candles_p202611` for November 2026 and
 * `real_time_prices_audit_p2026112516` for [16:00, 17:00) that day; the name
 * is the only place their bounds are read back from, and only names this
 * module made are ever dropped. Each table also has a DEFAULT partition,
 * `<table>_default`: a row of a unit without a partition (SQL written outside
 * the app, a clock far off) lands there instead of failing, and is moved into
 * its own partition when that one is created.
 */
export type PartitionUnit = 'hour' | 'month';

export interface PartitionScheme {
  /** Parent table. A constant, never input: safe to interpolate into SQL. */
  readonly table: string;
  /** Partition key column. */
  readonly column: string;
  readonly unit: PartitionUnit;
}

export interface TimePartition {
  name: string;
  from: Date;
  to: Date;
}

const HOUR_MS = 3_600_000;
/** Monthly partitions kept ready beyond the current month (boot and the retention job's `partitions` step). */
export const MONTHS_AHEAD = 3;
/** Same namespace as src/platform/locks/advisory-lock.ts; serialises partition DDL between instances. */
const LOCK_NAMESPACE = 0x46580001;

export const defaultPartitionName = (scheme: PartitionScheme): string => `${scheme.table}_default`;

/** Start (epoch ms) of the unit holding `ms`. */
export function unitFloor(unit: PartitionUnit, ms: number): number {
  if (unit === 'hour') return Math.floor(ms / HOUR_MS) * HOUR_MS;
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** Start of the unit `n` units after the one starting at `start` (a unit start). */
export function unitAdd(unit: PartitionUnit, start: number, n: number): number {
  if (unit === 'hour') return start + n * HOUR_MS;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1);
}

export function partitionName(scheme: PartitionScheme, unitStart: Date): string {
  const digits = unitStart.toISOString().slice(0, scheme.unit === 'hour' ? 13 : 7);
  return `${scheme.table}_p${digits.replace(/[-T]/g, '')}`;
}

/** The unit a partition name stands for, or null for any other name (the default partition). */
export function parsePartitionName(scheme: PartitionScheme, name: string): TimePartition | null {
  const prefix = `${scheme.table}_p`;
  if (!name.startsWith(prefix)) return null;
  const digits = name.slice(prefix.length);
  const m =
    scheme.unit === 'hour'
      ? /^(\d{4})(\d{2})(\d{2})(\d{2})$/.exec(digits)
      : /^(\d{4})(\d{2})$/.exec(digits);
  if (!m) return null;
  const start =
    scheme.unit === 'hour'
      ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4])
      : Date.UTC(+m[1], +m[2] - 1, 1);
  return { name, from: new Date(start), to: new Date(unitAdd(scheme.unit, start, 1)) };
}

/**
 * Distinct unit starts of the given times (epoch ms), oldest first: a
 * backfill of 1995 and a write of 2099 need two months, not the 1260
 * between. Cheap on long ascending runs: a time inside the unit just seen
 * costs one comparison.
 */
export function unitsOf(unit: PartitionUnit, times: Iterable<number>): number[] {
  const out = new Set<number>();
  let start = Number.NaN;
  let end = Number.NaN;
  for (const t of times) {
    if (t >= start && t < end) continue;
    start = unitFloor(unit, t);
    end = unitAdd(unit, start, 1);
    out.add(start);
  }
  return [...out].sort((a, b) => a - b);
}

/** The named partitions that exist, oldest first (the default partition is not listed). */
export async function listPartitions(
  db: DataSource | EntityManager,
  scheme: PartitionScheme,
): Promise<TimePartition[]> {
  const rows = await db.query<Array<{ name: string }>>(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = to_regclass($1)`,
    [scheme.table],
  );
  return rows
    .map((r) => parsePartitionName(scheme, r.name))
    .filter((p): p is TimePartition => p !== null)
    .sort((a, b) => a.from.getTime() - b.from.getTime());
}

/** True when the table is partitioned (the migration ran), so partition DDL applies to it. */
export async function isPartitioned(db: DataSource, scheme: PartitionScheme): Promise<boolean> {
  const rows = await db.query<Array<{ ok: boolean }>>(
    `SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass($1)) AS ok`,
    [scheme.table],
  );
  return rows[0]?.ok === true;
}

/**
 * Makes sure a partition exists for every unit starting at `starts` (unit
 * starts, epoch ms); returns the names it created. Rows that already went to
 * the default partition for such a unit are moved into the new partition in
 * the same transaction (PostgreSQL refuses to attach a partition whose range
 * the default partition still holds rows of). The partition is created apart
 * and attached, which locks the parent only against other DDL, not against
 * writers. Safe to run from several instances at once: the DDL runs under a
 * transaction-level advisory lock.
 */
export async function ensurePartitions(
  db: DataSource,
  scheme: PartitionScheme,
  starts: readonly number[],
): Promise<string[]> {
  if (starts.length === 0) return [];
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
      LOCK_NAMESPACE,
      `partitions:${scheme.table}`,
    ]);
    const existing = new Set((await listPartitions(tx, scheme)).map((p) => p.name));
    const created: string[] = [];
    for (const start of [...new Set(starts)].sort((a, b) => a - b)) {
      const from = new Date(start);
      const to = new Date(unitAdd(scheme.unit, start, 1));
      const name = partitionName(scheme, from);
      if (existing.has(name)) continue;
      // Names and bounds come from Date.toISOString(), never from input: safe in DDL, which takes no parameters.
      const bounds = `FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`;
      await tx.query(`CREATE TABLE ${name} (LIKE ${scheme.table})`);
      await tx.query(
        `WITH moved AS (DELETE FROM ${defaultPartitionName(scheme)}
                         WHERE ${scheme.column} >= $1 AND ${scheme.column} < $2 RETURNING *)
         INSERT INTO ${name} SELECT * FROM moved`,
        [from, to],
      );
      await tx.query(`ALTER TABLE ${scheme.table} ATTACH PARTITION ${name} FOR VALUES ${bounds}`);
      created.push(name);
    }
    return created;
  });
}

/** Partitions of the unit holding `now` and of the `ahead` units after it. */
export function ensurePartitionsAhead(
  db: DataSource,
  scheme: PartitionScheme,
  now: Date,
  ahead: number,
): Promise<string[]> {
  const first = unitFloor(scheme.unit, now.getTime());
  return ensurePartitions(
    db,
    scheme,
    Array.from({ length: ahead + 1 }, (_, i) => unitAdd(scheme.unit, first, i)),
  );
}

/**
 * Units that have rows in the default partition: each gets its own partition
 * (and its rows) from ensurePartitions. Reads the default partition, which the
 * app keeps empty: only rows written around it land there.
 */
export async function strayUnits(db: DataSource, scheme: PartitionScheme): Promise<number[]> {
  const rows = await db.query<Array<{ t: number }>>(
    `SELECT DISTINCT (extract(epoch FROM date_trunc($1, ${scheme.column}, 'UTC')) * 1000)::float8 AS t
       FROM ${defaultPartitionName(scheme)}`,
    [scheme.unit],
  );
  return rows.map((r) => Number(r.t));
}

/** Partitions lying wholly before `cutoff`: every row in them is older than the cutoff. */
export async function partitionsBefore(
  db: DataSource,
  scheme: PartitionScheme,
  cutoff: Date,
): Promise<TimePartition[]> {
  return (await listPartitions(db, scheme)).filter((p) => p.to.getTime() <= cutoff.getTime());
}

/**
 * Drops one partition: a catalogue change whose cost does not depend on how
 * many rows it held. `lock_timeout` keeps it from queueing behind a long
 * reader (and everything else from queueing behind it); the caller retries.
 */
/**
 * What a table kept by triggers needs around a partition drop: `DROP TABLE`
 * fires no DELETE trigger, so a summary of the table (row counts, bounds)
 * is adjusted by these statements, in the drop's own transaction.
 */
export interface PartitionDropHooks {
  /** Run before the drop, while the partition (named here, a safe identifier) still exists. */
  before: (partition: string) => string;
  /** Statements run after the drop, in order; `until` is the dropped partition's upper bound. */
  after: (until: Date) => readonly AfterDrop[];
}

/**
 * One statement after a drop. `onlyIf` is a cheap query (on the summary
 * alone) that returns a row when the statement has work: a statement with a
 * sub-select over the partitioned table is planned over every partition
 * (tens of milliseconds at ten years of months) even when it updates nothing.
 */
export interface AfterDrop {
  sql: string;
  params: unknown[];
  onlyIf?: string;
}

export async function dropPartition(
  db: DataSource,
  partition: TimePartition,
  hooks?: PartitionDropHooks,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`SET LOCAL lock_timeout = '5s'`);
    const exists = hooks
      ? (
          await tx.query<Array<{ r: string | null }>>(`SELECT to_regclass($1)::text AS r`, [
            partition.name,
          ])
        )[0].r !== null
      : false;
    if (hooks && exists) await tx.query(hooks.before(partition.name));
    await tx.query(`DROP TABLE IF EXISTS ${partition.name}`);
    if (hooks && exists)
      for (const step of hooks.after(partition.to)) {
        if (step.onlyIf && (await tx.query<unknown[]>(step.onlyIf, step.params)).length === 0)
          continue;
        await tx.query(step.sql, step.params);
      }
  });
}

/**
 * Rows of a partition about to be dropped, for the job's records: PostgreSQL's
 * own figure (pg_class.reltuples, kept by autovacuum and ANALYZE) so a prune
 * does not scan what it drops; an exact count only for a partition never
 * vacuumed nor analysed (reltuples -1).
 */
export async function partitionRows(db: DataSource, name: string): Promise<number> {
  const [stats] = await db.query<Array<{ n: number }>>(
    `SELECT reltuples::float8 AS n FROM pg_class WHERE oid = to_regclass($1)`,
    [name],
  );
  if (stats && stats.n >= 0) return Math.round(stats.n);
  const [{ n }] = await db.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM ${name}`);
  return n;
}

/**
 * A writer's view of one partitioned table: remembers which units it has
 * seen a partition for, so the hourly upserts cost no catalogue query once
 * their month exists, and creates the missing ones (a backfill of years
 * back) before the write. A partition dropped behind its back (retention on
 * another instance) only sends rows to the default partition, never fails a
 * write; the partitions job step moves them out.
 */
export class PartitionedTable {
  private readonly known = new Set<number>();

  constructor(
    private readonly db: DataSource,
    readonly scheme: PartitionScheme,
  ) {}

  /** Creates the partitions rows at these times (epoch ms) need; returns the names created. */
  async ensureFor(times: Iterable<number>): Promise<string[]> {
    const units = unitsOf(this.scheme.unit, times);
    if (units.every((u) => this.known.has(u))) return [];
    if (!(await isPartitioned(this.db, this.scheme))) return [];
    const created = await ensurePartitions(this.db, this.scheme, units);
    for (const u of units) this.known.add(u);
    return created;
  }

  /** Partitions of the current unit and `ahead` more, plus homes for stray rows of the default partition. */
  async maintain(now: Date, ahead: number): Promise<string[]> {
    if (!(await isPartitioned(this.db, this.scheme))) return [];
    const created = await ensurePartitionsAhead(this.db, this.scheme, now, ahead);
    const strays = await strayUnits(this.db, this.scheme);
    created.push(...(await ensurePartitions(this.db, this.scheme, strays)));
    return created;
  }

  /** What maintain() would create, creating nothing (dry runs). */
  async missing(now: Date, ahead: number): Promise<string[]> {
    if (!(await isPartitioned(this.db, this.scheme))) return [];
    const first = unitFloor(this.scheme.unit, now.getTime());
    const units = Array.from({ length: ahead + 1 }, (_, i) => unitAdd(this.scheme.unit, first, i));
    units.push(...(await strayUnits(this.db, this.scheme)));
    const existing = new Set((await listPartitions(this.db, this.scheme)).map((p) => p.name));
    const names = units.map((u) => partitionName(this.scheme, new Date(u)));
    return [...new Set(names)].filter((n) => !existing.has(n)).sort();
  }

  /** Forgets a dropped partition, so a later write to its unit recreates it. */
  forget(partition: TimePartition): void {
    this.known.delete(partition.from.getTime());
  }
}
