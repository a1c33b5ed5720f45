import { DataSource, EntityManager } from 'typeorm';
import { HOUR_MS } from '../platform/time';

/**
 * Hourly partitions of `real_time_prices_audit` (see migration
 * 1764000000001-PartitionPriceAudit). Partitions are named after their UTC
 * hour, `real_time_prices_audit_p2026112516` for [16:00, 17:00); the name is
 * the only place their bounds are read back from, and only names this module
 * made are ever dropped.
 */
export const AUDIT_TABLE = 'real_time_prices_audit';
export const AUDIT_DEFAULT_PARTITION = 'real_time_prices_audit_default';
/** Partitions kept ready beyond the current hour (boot and every audit-prune run extend this). */
export const AUDIT_PARTITIONS_AHEAD = 3;

const NAME = /^real_time_prices_audit_p(\d{4})(\d{2})(\d{2})(\d{2})$/;
/** Same namespace as src/platform/locks/advisory-lock.ts; serialises partition DDL between instances. */
const LOCK_NAMESPACE = 0x46580001;
const LOCK_NAME = 'audit-partitions';

export interface AuditPartition {
  name: string;
  from: Date;
  to: Date;
}

export const hourFloor = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;

export function auditPartitionName(hourStart: Date): string {
  return `${AUDIT_TABLE}_p${hourStart.toISOString().slice(0, 13).replace(/[-T]/g, '')}`;
}

/** The hour a partition name stands for, or null for any other name (the default partition). */
export function parseAuditPartitionName(name: string): AuditPartition | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const from = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4]));
  return { name, from, to: new Date(from.getTime() + HOUR_MS) };
}

/** The hourly partitions that exist, oldest first. */
export async function listAuditPartitions(
  db: DataSource | EntityManager,
): Promise<AuditPartition[]> {
  const rows = await db.query<Array<{ name: string }>>(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = to_regclass($1)`,
    [AUDIT_TABLE],
  );
  return rows
    .map((r) => parseAuditPartitionName(r.name))
    .filter((p): p is AuditPartition => p !== null)
    .sort((a, b) => a.from.getTime() - b.from.getTime());
}

/**
 * Makes sure the partitions of the hour of `now` and the `ahead` hours after it
 * exist; returns the names it created. Rows that already went to the default
 * partition for such an hour are moved into the new partition in the same
 * transaction (PostgreSQL refuses to attach a partition whose range the
 * default partition still holds rows of). Safe to run from several instances
 * at once: the DDL runs under a transaction-level advisory lock.
 */
export async function ensureAuditPartitions(
  db: DataSource,
  now: Date,
  ahead = AUDIT_PARTITIONS_AHEAD,
): Promise<string[]> {
  const first = hourFloor(now.getTime());
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NAMESPACE, LOCK_NAME]);
    const existing = new Set((await listAuditPartitions(tx)).map((p) => p.name));
    const created: string[] = [];
    for (let h = 0; h <= ahead; h += 1) {
      const from = new Date(first + h * HOUR_MS);
      const to = new Date(from.getTime() + HOUR_MS);
      const name = auditPartitionName(from);
      if (existing.has(name)) continue;
      // Names and bounds come from Date.toISOString(), never from input: safe in DDL, which takes no parameters.
      const bounds = `FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`;
      await tx.query(`CREATE TABLE ${name} (LIKE ${AUDIT_TABLE})`);
      await tx.query(
        `WITH moved AS (DELETE FROM ${AUDIT_DEFAULT_PARTITION}
                         WHERE timestamp >= $1 AND timestamp < $2 RETURNING *)
         INSERT INTO ${name} SELECT * FROM moved`,
        [from, to],
      );
      await tx.query(`ALTER TABLE ${AUDIT_TABLE} ATTACH PARTITION ${name} FOR VALUES ${bounds}`);
      created.push(name);
    }
    return created;
  });
}

/** Hourly partitions lying wholly before `cutoff`: every row in them is older than the cutoff. */
export async function auditPartitionsBefore(
  db: DataSource,
  cutoff: Date,
): Promise<AuditPartition[]> {
  return (await listAuditPartitions(db)).filter((p) => p.to.getTime() <= cutoff.getTime());
}

/**
 * Drops one partition: a catalogue change whose cost does not depend on how
 * many rows it held. `lock_timeout` keeps it from queueing behind a long
 * reader (and everything else from queueing behind it); the caller retries.
 */
export async function dropAuditPartition(db: DataSource, partition: AuditPartition): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`SET LOCAL lock_timeout = '5s'`);
    await tx.query(`DROP TABLE IF EXISTS ${partition.name}`);
  });
}
