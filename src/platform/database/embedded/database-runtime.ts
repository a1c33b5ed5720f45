import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StartupError } from '../startup-error';
import { DataDirLock, LockHolder, ProcessRole } from './data-dir-lock';
import { EmbeddedPostgres, embeddedUrl, readCredentials, SERVER_FILE } from './embedded-postgres';

/** Where the database of this process is, and how it got there. */
export interface DatabaseRuntime {
  url: string;
  mode: 'embedded' | 'external';
  /** For the boot line: `embedded PostgreSQL at 127.0.0.1:PORT, data in ./.data`. */
  description: string;
}

let role: ProcessRole = 'service';
let current: Promise<DatabaseRuntime> | null = null;

/**
 * The CLI calls this before anything starts: while the service runs, a CLI
 * command uses the service's embedded server instead of refusing.
 */
export function setProcessRole(value: ProcessRole): void {
  role = value;
}

/** How long a CLI command waits for a service that holds DATA_DIR but is still starting its server. */
const SERVER_FILE_WAIT_MS = 30_000;

const shown = (dataDir: string): string => {
  const rel = relative(process.cwd(), dataDir);
  return rel && !rel.startsWith('..') ? `./${rel}` : dataDir;
};

/**
 * The database of this process: DATABASE_URL when set, otherwise the
 * embedded PostgreSQL of DATA_DIR, started here (and stopped when the process
 * exits, whatever the reason) or, for a CLI command while the service runs,
 * the service's. One per process: the app module may be built more than once
 * (tests), the server is not.
 */
export function databaseRuntime(
  config: { database: { url: string | undefined; dataDir: string } },
  /** Progress lines of the embedded server (Nest's logger in the app, stderr in the lean CLI path). */
  log: (message: string) => void = (message) => process.stderr.write(`${message}\n`),
): Promise<DatabaseRuntime> {
  const url = config.database.url;
  if (url) {
    const { hostname, port } = new URL(url);
    return Promise.resolve({
      url,
      mode: 'external',
      description: `PostgreSQL at ${hostname}:${port || 5432}`,
    });
  }
  current ??= openEmbedded(resolve(config.database.dataDir), log);
  return current;
}

async function openEmbedded(
  dataDir: string,
  log: (message: string) => void,
): Promise<DatabaseRuntime> {
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const taken = DataDirLock.acquire(dataDir, role);
  if ('heldBy' in taken) return useRunning(dataDir, taken.heldBy);
  const lock = taken.lock;
  const server = new EmbeddedPostgres(dataDir, log);
  const first = !server.initialised;
  const started = Date.now();
  // Registered before start so a crash half-way still stops the server and frees DATA_DIR.
  process.once('exit', () => {
    server.stopSync();
    lock.release();
  });
  if (role === 'cli') {
    // Without a handler a signal kills the process before 'exit' runs, leaving the server behind.
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
  }
  try {
    const running = await server.start();
    log(
      `${first ? 'created and started' : 'started'} PostgreSQL on 127.0.0.1:${running.port} ` +
        `in ${Date.now() - started} ms (data in ${shown(dataDir)})`,
    );
    return {
      url: running.url,
      mode: 'embedded',
      description: `embedded PostgreSQL at 127.0.0.1:${running.port}, data in ${shown(dataDir)}`,
    };
  } catch (error) {
    server.stopSync();
    lock.release();
    throw new StartupError(`The embedded PostgreSQL did not start: ${(error as Error).message}`);
  }
}

/**
 * Refuses at once, before anything loads, when a service already runs on this
 * DATA_DIR (the definitive check is the lock, taken when the server starts).
 */
export function assertDataDirFree(config: {
  database: { url: string | undefined; dataDir: string };
}): void {
  if (config.database.url || role !== 'service') return;
  const dataDir = resolve(config.database.dataDir);
  const holder = DataDirLock.holder(dataDir);
  if (holder) throw refusal(dataDir, holder);
}

function refusal(dataDir: string, holder: LockHolder): StartupError {
  const who = `pid ${holder.pid}, "${holder.command}", since ${holder.started_at}`;
  return new StartupError(
    `DATA_DIR ${shown(dataDir)} is in use by another fx-pipeline ${holder.role} (${who}). ` +
      'The embedded mode runs one instance per DATA_DIR: stop the other one, set another DATA_DIR, ' +
      'or set DATABASE_URL and REDIS_URL to run several instances.',
  );
}

/** A CLI command next to a running service shares its server; anything else is refused. */
async function useRunning(dataDir: string, holder: LockHolder): Promise<DatabaseRuntime> {
  const who = `pid ${holder.pid}, "${holder.command}", since ${holder.started_at}`;
  if (role === 'service') throw refusal(dataDir, holder);
  if (holder.role !== 'service')
    throw new StartupError(
      `DATA_DIR ${shown(dataDir)} is in use by another fx-pipeline command (${who}); ` +
        'run this one when it has finished.',
    );
  const file = resolve(dataDir, SERVER_FILE);
  const deadline = Date.now() + SERVER_FILE_WAIT_MS;
  while (!existsSync(file) && Date.now() < deadline) await sleep(100);
  if (!existsSync(file))
    throw new StartupError(
      `the service (${who}) holds DATA_DIR ${shown(dataDir)} but has not started its PostgreSQL`,
    );
  const { port } = JSON.parse(readFileSync(file, 'utf8')) as { port: number };
  return {
    url: embeddedUrl(port, readCredentials(dataDir).password),
    mode: 'embedded',
    description: `the service's embedded PostgreSQL at 127.0.0.1:${port}, data in ${shown(dataDir)}`,
  };
}
