import { Client } from 'pg';
import { removeE2eBuild } from './utils/e2e-build';
import { sweepPrivatePostgres } from './utils/private-postgres';

/** Drops throwaway databases a crashed test left behind, so runs never accumulate them. */
export default async function globalTeardown(): Promise<void> {
  removeE2eBuild();
  // Private PostgreSQL clusters (test/utils/private-postgres.ts) whose test process was killed.
  sweepPrivatePostgres();
  const pgUrl =
    process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const pg = new Client({ connectionString: pgUrl });
  await pg.connect();
  try {
    const { rows } = await pg.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'fx\\_test\\_%'`,
    );
    // Names end in _<epoch seconds>_<hex>; only ones over an hour old are abandoned,
    // so a parallel run on the same server keeps its own.
    const cutoff = Date.now() / 1000 - 3600;
    const stale = rows.filter(
      ({ datname }) => Number(/_(\d{10})_[0-9a-f]+$/.exec(datname)?.[1] ?? 0) < cutoff,
    );
    for (const { datname } of stale) {
      await pg.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined);
    }
  } finally {
    await pg.end();
  }
}
