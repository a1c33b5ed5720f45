import { DataSource } from 'typeorm';

/** Namespace for this service's advisory locks, so they cannot collide with another app's. */
const LOCK_NAMESPACE = 0x46580001; // "FX" + 1

export interface HeldLock {
  readonly name: string;
  /**
   * Asks PostgreSQL, on the lock's own session, whether that session still
   * holds the lock. False when it does not, or when the session is gone (a
   * PostgreSQL restart, a terminated backend, a cut connection): then the lock
   * is free for others, whatever this process believes.
   */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * pg_locks rows of the lock `$1` (its name) held in the CURRENT database.
 * Advisory locks are per database, but pg_locks shows the whole server: without
 * the database filter another deployment's lock of the same name (or any
 * application's lock with the same two keys) looks like ours. A two-int4-key
 * advisory lock shows as classid = key 1, objid = key 2, objsubid = 2.
 */
export const ADVISORY_LOCK_ROWS_SQL = `
  SELECT pid FROM pg_locks
   WHERE locktype = 'advisory' AND granted AND objsubid = 2
     AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
     AND classid = ${LOCK_NAMESPACE}::oid
     AND objid = (hashtext($1)::bigint & 4294967295)::oid`;

/** Backend pids holding the advisory lock `name` in the current database (at most one). */
export async function advisoryLockHolders(dataSource: DataSource, name: string): Promise<number[]> {
  const rows = await dataSource.query<Array<{ pid: number }>>(ADVISORY_LOCK_ROWS_SQL, [name]);
  return rows.map((r) => Number(r.pid));
}

/**
 * Takes a session-level PostgreSQL advisory lock without waiting. The lock
 * lives on one dedicated connection, which is held until `release()`; if this
 * process dies the connection closes and PostgreSQL frees the lock, which is
 * what lets another instance take over.
 */
export async function tryAdvisoryLock(
  dataSource: DataSource,
  name: string,
): Promise<HeldLock | null> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const rows = (await runner.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [
      LOCK_NAMESPACE,
      name,
    ])) as Array<{ locked: boolean }>;
    if (!rows[0]?.locked) {
      await runner.release();
      return null;
    }
  } catch (error) {
    await runner.release();
    throw error;
  }
  let released = false;
  return {
    name,
    stillHeld: async () => {
      if (released) return false;
      try {
        const rows = (await runner.query(`${ADVISORY_LOCK_ROWS_SQL} AND pid = pg_backend_pid()`, [
          name,
        ])) as unknown[];
        return rows.length === 1;
      } catch {
        // The session is unusable, so PostgreSQL has freed (or is about to free) its locks.
        return false;
      }
    },
    release: async () => {
      if (released) return;
      released = true;
      try {
        await runner.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_NAMESPACE, name]);
      } finally {
        await runner.release();
      }
    },
  };
}
