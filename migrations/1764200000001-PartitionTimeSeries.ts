import { MigrationInterface, QueryRunner } from 'typeorm';

/** Months given a partition beyond the current one (the app and the retention job keep extending this). */
const AHEAD_MONTHS = 3;

interface TableSpec {
  table: string;
  /** Partition key; part of every unique key (PostgreSQL requires it, and so does TimescaleDB). */
  column: string;
  /** Unique keys by name (the seed schema's names: `ON CONFLICT ON CONSTRAINT unique_candle` keeps working). */
  uniques: ReadonlyArray<readonly [string, string]>;
  /** Plain indexes by name. */
  indexes: ReadonlyArray<readonly [string, string]>;
}

// Names are constants, never input: safe to interpolate into DDL.
const TABLES: readonly TableSpec[] = [
  {
    table: 'oanda_candles',
    column: 'time',
    uniques: [['unique_candle', 'instrument, time, granularity']],
    indexes: [
      ['ix_oanda_candles_instrument_time', 'instrument, time'],
      ['ix_oanda_candles_time', 'time'],
    ],
  },
  {
    table: 'volatility_metrics',
    column: 'time',
    uniques: [['unique_volatility', 'instrument, time']],
    indexes: [['ix_volatility_metrics_time', 'time']],
  },
];

interface SavedView {
  name: string;
  kind: string;
  def: string;
}

interface Grant {
  grantee: string;
  privilege: string;
  grantable: boolean;
}

/**
 * oanda_candles and volatility_metrics become tables partitioned by UTC month
 * on `time` (declarative RANGE partitioning), so retention drops whole months
 * instead of deleting rows, and a ten-year history is 120 small tables whose
 * indexes stay shallow. Each gets a DEFAULT partition so SQL written outside
 * the app never fails for want of a partition (the app creates partitions
 * ahead of its own writes, and moves any row found in the default partition
 * into a partition of its own: src/database/time-partitions.ts).
 *
 * Kept unchanged: column order, types, defaults and identity (rows compare
 * equal as text before and after), the unique keys and index names, the views
 * on the tables (every view that depends on them, recreated from its own
 * definition) and the privileges granted on tables and views. The primary key
 * becomes (id, time): a partitioned table's unique keys must contain the
 * partition key; id stays unique in practice (one identity sequence). No
 * foreign key points at these tables, which also keeps TimescaleDB's
 * create_hypertable open to operators who prefer it (README).
 *
 * Both directions copy the rows (ids kept, the identity sequence carried on
 * where it was), all inside the migration's transaction.
 */
export class PartitionTimeSeries1764200000001 implements MigrationInterface {
  name = 'PartitionTimeSeries1764200000001';

  async up(q: QueryRunner): Promise<void> {
    const views = await saveViews(q);
    const grants = await saveGrants(q, [
      ...TABLES.map((t) => t.table),
      ...views.map((v) => v.name),
    ]);
    await dropViews(q, views);
    for (const spec of TABLES) await this.partition(q, spec);
    await restoreViews(q, views);
    await restoreGrants(q, grants);
  }

  async down(q: QueryRunner): Promise<void> {
    const views = await saveViews(q);
    const grants = await saveGrants(q, [
      ...TABLES.map((t) => t.table),
      ...views.map((v) => v.name),
    ]);
    await dropViews(q, views);
    for (const spec of TABLES) await this.unpartition(q, spec);
    await restoreViews(q, views);
    await restoreGrants(q, grants);
  }

  private async partition(q: QueryRunner, spec: TableSpec): Promise<void> {
    const { table, column } = spec;
    const old = `${table}_unpartitioned`;
    const sequence = await detach(q, spec, old);

    await q.query(
      `CREATE TABLE ${table} (LIKE ${old} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING STORAGE INCLUDING COMMENTS)
       PARTITION BY RANGE (${column})`,
    );
    await q.query(`CREATE TABLE ${table}_default PARTITION OF ${table} DEFAULT`);
    // One partition per month holding rows, and the current month plus the next ones.
    const months = (await q.query(
      `SELECT DISTINCT date_trunc('month', ${column}, 'UTC') AS m FROM ${old}
       UNION SELECT date_trunc('month', now(), 'UTC') + make_interval(months => g)
         FROM generate_series(0, $1) AS g
       ORDER BY 1`,
      [AHEAD_MONTHS],
    )) as Array<{ m: Date }>;
    for (const { m } of months) {
      const from = new Date(m);
      const to = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
      const name = `${table}_p${from.toISOString().slice(0, 7).replace('-', '')}`;
      await q.query(
        `CREATE TABLE ${name} PARTITION OF ${table}
           FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
      );
    }
    // Load first, index after: one sorted build per index instead of maintaining them row by row.
    await q.query(`INSERT INTO ${table} SELECT * FROM ${old}`);
    await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_pkey PRIMARY KEY (id, ${column})`);
    await addKeys(q, spec);
    await q.query(`DROP TABLE ${old}`);
    await restoreSequence(q, table, sequence);
  }

  private async unpartition(q: QueryRunner, spec: TableSpec): Promise<void> {
    const { table } = spec;
    const old = `${table}_partitioned`;
    const sequence = await detach(q, spec, old);
    await q.query(
      `CREATE TABLE ${table} (LIKE ${old} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING STORAGE INCLUDING COMMENTS)`,
    );
    await q.query(`INSERT INTO ${table} SELECT * FROM ${old} ORDER BY id`);
    // Dropping the partitioned table drops every partition with it.
    await q.query(`DROP TABLE ${old}`);
    await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_pkey PRIMARY KEY (id)`);
    await addKeys(q, spec);
    await restoreSequence(q, table, sequence);
  }
}

interface SequenceState {
  lastValue: string;
  isCalled: boolean;
}

/**
 * Renames `table` to `renamed` and frees the names the new table takes: its
 * keys and indexes are dropped (the table itself is dropped once copied) and
 * its identity sequence renamed. Returns where that sequence stood.
 */
async function detach(q: QueryRunner, spec: TableSpec, renamed: string): Promise<SequenceState> {
  const { table } = spec;
  const [{ seq }] = (await q.query(`SELECT pg_get_serial_sequence($1, 'id') AS seq`, [
    table,
  ])) as Array<{ seq: string }>;
  const [state] = (await q.query(`SELECT last_value::text AS v, is_called FROM ${seq}`)) as Array<{
    v: string;
    is_called: boolean;
  }>;
  await q.query(`ALTER TABLE ${table} RENAME TO ${renamed}`);
  await q.query(`ALTER SEQUENCE ${seq} RENAME TO ${renamed}_id_seq`);
  await q.query(`ALTER TABLE ${renamed} DROP CONSTRAINT ${table}_pkey`);
  for (const [name] of spec.uniques)
    await q.query(`ALTER TABLE ${renamed} DROP CONSTRAINT ${name}`);
  for (const [name] of spec.indexes) await q.query(`DROP INDEX ${name}`);
  return { lastValue: state.v, isCalled: state.is_called };
}

async function addKeys(q: QueryRunner, spec: TableSpec): Promise<void> {
  for (const [name, columns] of spec.uniques)
    await q.query(`ALTER TABLE ${spec.table} ADD CONSTRAINT ${name} UNIQUE (${columns})`);
  for (const [name, columns] of spec.indexes)
    await q.query(`CREATE INDEX ${name} ON ${spec.table} (${columns})`);
}

/** The new table's identity sequence goes on from where the old one stood (not from max(id)). */
async function restoreSequence(q: QueryRunner, table: string, s: SequenceState): Promise<void> {
  await q.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), $2::bigint, $3)`, [
    table,
    s.lastValue,
    s.isCalled,
  ]);
}

/**
 * Every view (plain or materialised) that depends on the tables, directly or
 * through another view, outermost last: `v_latest_candles`,
 * `v_latest_volatility` and any an operator added. A view follows a renamed
 * table, so they are dropped and recreated on the new one from their own
 * definitions (which name the table, read before the rename).
 */
async function saveViews(q: QueryRunner): Promise<SavedView[]> {
  return (await q.query(
    `WITH RECURSIVE deps(oid, depth) AS (
       SELECT r.ev_class, 1 FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
        WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
          AND d.refobjid = ANY($1::regclass[]) AND r.ev_class <> d.refobjid
       UNION
       SELECT r.ev_class, deps.depth + 1 FROM deps
         JOIN pg_depend d ON d.refobjid = deps.oid AND d.refclassid = 'pg_class'::regclass
         JOIN pg_rewrite r ON r.oid = d.objid
        WHERE d.classid = 'pg_rewrite'::regclass AND r.ev_class <> deps.oid
     )
     SELECT c.oid::regclass::text AS name, c.relkind AS kind, pg_get_viewdef(c.oid) AS def
       FROM deps JOIN pg_class c ON c.oid = deps.oid
      GROUP BY c.oid ORDER BY max(deps.depth), c.oid`,
    [TABLES.map((t) => t.table)],
  )) as SavedView[];
}

async function dropViews(q: QueryRunner, views: readonly SavedView[]): Promise<void> {
  for (const v of [...views].reverse())
    await q.query(`DROP ${v.kind === 'm' ? 'MATERIALIZED VIEW' : 'VIEW'} ${v.name}`);
}

async function restoreViews(q: QueryRunner, views: readonly SavedView[]): Promise<void> {
  for (const v of views)
    await q.query(`CREATE ${v.kind === 'm' ? 'MATERIALIZED VIEW' : 'VIEW'} ${v.name} AS ${v.def}`);
}

/** Privileges granted on the relations to roles other than their owner (a read-only reporting role, say). */
async function saveGrants(
  q: QueryRunner,
  relations: readonly string[],
): Promise<Map<string, Grant[]>> {
  const rows = (await q.query(
    `SELECT c.oid::regclass::text AS relation,
            CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END AS grantee,
            a.privilege_type AS privilege, a.is_grantable AS grantable
       FROM pg_class c, aclexplode(c.relacl) a
      WHERE c.oid = ANY($1::regclass[]) AND a.grantee <> c.relowner`,
    [relations],
  )) as Array<Grant & { relation: string }>;
  const out = new Map<string, Grant[]>();
  for (const { relation, ...grant } of rows)
    out.set(relation, [...(out.get(relation) ?? []), grant]);
  return out;
}

async function restoreGrants(q: QueryRunner, grants: Map<string, Grant[]>): Promise<void> {
  for (const [relation, list] of grants)
    for (const g of list)
      await q.query(
        `GRANT ${g.privilege} ON ${relation} TO ${g.grantee}${g.grantable ? ' WITH GRANT OPTION' : ''}`,
      );
}
