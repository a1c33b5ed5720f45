import { connect } from 'node:net';
import { Client } from 'pg';

/**
 * A boot failure the user can fix (a dependency nobody answers, a data
 * directory in use). main.ts and the CLI print its message as one line and
 * exit 1, without a stack trace: the stack would only hide the hint.
 */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/** host:port of a postgres:// or redis:// URL, with the scheme's default port. */
export function hostPort(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  const fallback = parsed.protocol.startsWith('redis') ? 6379 : 5432;
  // IPv6 literals come bracketed from URL; net.connect wants them bare.
  const host = (parsed.hostname || '127.0.0.1').replace(/^\[|\]$/g, '');
  return { host, port: parsed.port ? Number(parsed.port) : fallback };
}

/**
 * Resolves when something accepts a TCP connection at host:port, rejects with
 * the socket error (ECONNREFUSED, ENOTFOUND, ...) or a timeout. Only answers
 * "is anybody there"; credentials and protocol are checked by the real client.
 */
export function probeTcp(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.end();
      resolve();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new Error(error.code ?? error.message));
    });
  });
}

/**
 * Resolves when a PostgreSQL server answers at `url`: a successful login, or
 * an error PostgreSQL itself sends (wrong password, missing database, which
 * the app reports or fixes later). Rejects when nothing speaking PostgreSQL
 * answers: refused, unknown host, timeout, a socket closed by whatever is
 * listening there.
 */
export async function probePostgres(url: string, timeoutMs: number): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    // SQLSTATE codes are five characters (28P01, 3D000); socket errors are ECONNREFUSED etc.
    if (code && /^[0-9A-Z]{5}$/.test(code)) return;
    throw new Error(code ?? message, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Checks that the configured PostgreSQL and Redis answer before anything else
 * starts, so a wrong or missing server is one line naming it and a hint, not
 * thirty seconds of retries. Only for URLs the user set: the embedded
 * defaults are started by the app itself.
 */
export async function checkConfiguredServers(
  urls: { databaseUrl?: string; redisUrl?: string },
  timeoutMs = 4_000,
): Promise<void> {
  const checks: Promise<void>[] = [];
  if (urls.databaseUrl) {
    const { host, port } = hostPort(urls.databaseUrl);
    checks.push(
      probePostgres(urls.databaseUrl, timeoutMs).catch((error: Error) => {
        throw new StartupError(
          `Cannot reach PostgreSQL at ${host}:${port} from DATABASE_URL (${error.message}): ` +
            'is PostgreSQL running? Leave DATABASE_URL unset to use the embedded one.',
        );
      }),
    );
  }
  if (urls.redisUrl) {
    const { host, port } = hostPort(urls.redisUrl);
    checks.push(
      probeTcp(host, port, timeoutMs).catch((error: Error) => {
        throw new StartupError(
          `Cannot reach Redis at ${host}:${port} from REDIS_URL (${error.message}): ` +
            'is Redis running? Leave REDIS_URL unset for in-process pub/sub and cache (one instance only).',
        );
      }),
    );
  }
  await Promise.all(checks);
}
