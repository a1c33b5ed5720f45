import { Logger } from '@nestjs/common';
import { Client } from 'pg';

/**
 * Creates the configured database when it does not exist and the role may
 * create it, so a fresh PostgreSQL needs no manual step. Returns true if it
 * created one.
 */
export async function ensureDatabase(
  url: string,
  logger = new Logger('Database'),
): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({
    connectionString: admin.toString(),
    connectionTimeoutMillis: 10_000,
  });
  try {
    await client.connect();
  } catch (error) {
    // No maintenance database reachable: let the real connection report the problem.
    logger.warn(`Could not check whether database "${name}" exists: ${(error as Error).message}`);
    return false;
  }
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    } catch (error) {
      // Another process may have created it between the check and here.
      if ((error as { code?: string }).code === '42P04') return false;
      throw new Error(
        `Database "${name}" does not exist and could not be created: ${(error as Error).message}`,
        { cause: error },
      );
    }
    logger.log(`Created database "${name}"`);
    return true;
  } finally {
    await client.end();
  }
}

/** Drops a database (tests' throwaway databases); terminates its sessions first. */
export async function dropDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
