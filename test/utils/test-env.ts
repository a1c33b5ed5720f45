import { randomBytes } from 'node:crypto';
import { RawEnv } from '../../src/platform/config/env.validation';

const PG_BASE =
  process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A unique name for a throwaway database (dropped by the test, or by global teardown if a run dies). */
export function throwawayDatabaseUrl(label = 'e2e'): string {
  const url = new URL(PG_BASE);
  // The epoch seconds let global teardown tell an abandoned database from one a parallel run is using.
  const tag = `${Math.floor(Date.now() / 1000)}_${randomBytes(3).toString('hex')}`;
  url.pathname = `/fx_test_${label
    .replace(/[^a-z0-9]/gi, '_')
    .toLowerCase()
    .slice(0, 20)}_${tag}`;
  return url.toString();
}

/**
 * Env for an app under test: its own database, its own Redis key/channel
 * prefix (so parallel test files never see each other's messages), port 0,
 * scheduler and live stream off unless a test turns them on.
 */
export function testEnv(overrides: RawEnv = {}, label = 'e2e'): RawEnv {
  return {
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    DATABASE_URL: throwawayDatabaseUrl(label),
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: `test:${randomBytes(4).toString('hex')}:`,
    MARKET_DATA_PROVIDER: 'simulated',
    OANDA_API_KEY: '',
    SCHEDULER_ENABLED: 'false',
    JOBS_CATCH_UP_ON_BOOT: 'false',
    PRICE_STREAM_ENABLED: 'false',
    // Suites test their own feature; the auth suites (test/auth-*) set AUTH_MODE=keys themselves,
    // and no suite should meet the per-IP limit of AUTH_MODE=off by sending many requests.
    AUTH_MODE: 'off',
    RATE_LIMIT_PER_MINUTE: '0',
    ...overrides,
  };
}
