import { DataSource } from 'typeorm';

/** Namespace for this service's advisory locks, so they cannot collide with another app's. */
const LOCK_NAMESPACE = 0x46580001; // "FX" + 1

export interface HeldLock {
  readonly name: string;
  release(): Promise<void>;
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
