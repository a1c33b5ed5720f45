import { Client } from 'pg';
import { createClient } from 'redis';
import { buildForE2e, E2E_BUILD_ENV } from './utils/e2e-build';

/** Fails fast, with the fix, when the local services the integration tests need are down. */
export default async function globalSetup(): Promise<void> {
  const pgUrl =
    process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const pg = new Client({ connectionString: pgUrl, connectionTimeoutMillis: 5000 });
  try {
    await pg.connect();
    await pg.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `Integration tests need PostgreSQL at ${pgUrl} (${(error as Error).message}). ` +
        'Start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
      { cause: error },
    );
  } finally {
    await pg.end().catch(() => undefined);
  }
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = createClient({
    url: redisUrl,
    socket: { connectTimeout: 5000, reconnectStrategy: false },
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(
      `Integration tests need Redis at ${redisUrl} (${(error as Error).message}). ` +
        'Start it: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
      { cause: error },
    );
  } finally {
    if (redis.isOpen) await redis.quit();
  }
  // Workers start after this and inherit the variable.
  process.env[E2E_BUILD_ENV] = buildForE2e();
}
