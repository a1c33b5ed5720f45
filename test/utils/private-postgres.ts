import { execFileSync, spawn, SpawnOptions } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './free-port';

/** Every cluster's temp dir starts with this, so a sweep can find clusters a dead run left behind. */
export const PRIVATE_PG_DIR_PREFIX = 'fx-private-pg-';

/** The newest installed PostgreSQL's bin dir (Debian layout: /usr/lib/postgresql/<major>/bin). */
function pgBinDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((d) => /^\d+$/.test(d) && existsSync(join(root, d, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0) throw new Error(`no PostgreSQL server binaries under ${root}/*/bin`);
  return join(root, majors[0], 'bin');
}

/**
 * PostgreSQL refuses to run as root; tests on CI machines often are root. Then the
 * server runs as the `postgres` OS user (Debian's package creates it).
 */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  return { uid: id('-u'), gid: id('-g') };
}

function run(bin: string, args: string[], options: SpawnOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${bin} ${args.join(' ')} exited ${code}: ${output.trim()}`)),
    );
  });
}

/** Stops the cluster in `dataDir` now and synchronously (for exit hooks, where nothing async runs). */
function stopNowSync(bin: string, dataDir: string, user: ReturnType<typeof serverUser>): void {
  if (!existsSync(join(dataDir, 'postmaster.pid'))) return;
  try {
    execFileSync(join(bin, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'immediate', '-w'], {
      stdio: 'ignore',
      timeout: 10_000,
      ...(user ?? {}),
    });
  } catch {
    // Already gone.
  }
}

const liveClusters = new Set<PrivatePostgres>();
let exitHookInstalled = false;

/**
 * A PostgreSQL cluster of a test's own (initdb in a temp dir, a free port,
 * trust auth, started and stopped with pg_ctl), for tests that stop or restart
 * PostgreSQL: the shared server on 5432 serves every other test running at the
 * same time and must never be restarted.
 *
 * `cleanup()` stops it and deletes its files; call it in `afterAll`. If a test
 * run dies before that, an exit hook still stops the server, and
 * `sweepPrivatePostgres()` (global teardown) removes whatever a killed run left.
 */
export class PrivatePostgres {
  private constructor(
    readonly port: number,
    private readonly root: string,
    private readonly bin: string,
    private readonly user: ReturnType<typeof serverUser>,
  ) {}

  private get dataDir(): string {
    return join(this.root, 'data');
  }

  /** initdb + start; resolves once the server accepts connections. */
  static async start(): Promise<PrivatePostgres> {
    const bin = pgBinDir();
    const user = serverUser();
    const root = mkdtempSync(join(tmpdir(), PRIVATE_PG_DIR_PREFIX));
    chmodSync(root, 0o700);
    // Who made it: the sweep leaves a cluster alone while this process lives.
    writeFileSync(join(root, 'owner.pid'), String(process.pid));
    if (user) chownSync(root, user.uid, user.gid);
    const cluster = new PrivatePostgres(await freePort(), root, bin, user);
    liveClusters.add(cluster);
    PrivatePostgres.installExitHook();
    try {
      await run(
        join(bin, 'initdb'),
        [
          '-D',
          cluster.dataDir,
          '--auth=trust',
          '--username=postgres',
          '--encoding=UTF8',
          '--no-locale',
          '--no-sync',
          '--no-instructions',
        ],
        { cwd: root, ...(user ?? {}) },
      );
      await cluster.start();
    } catch (error) {
      cluster.cleanup();
      throw error;
    }
    return cluster;
  }

  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts the (stopped) server and waits until it accepts connections. */
  async start(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      '-c listen_addresses=127.0.0.1',
      `-k ${this.root}`,
      // A test database: durability is not the point, speed is.
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
    ].join(' ');
    await run(
      join(this.bin, 'pg_ctl'),
      [
        'start',
        '-D',
        this.dataDir,
        '-l',
        join(this.root, 'server.log'),
        '-w',
        '-t',
        '30',
        '-o',
        options,
      ],
      { cwd: this.root, ...(this.user ?? {}) },
    );
    await this.waitUntilReady();
  }

  /**
   * Stops the server. `fast` (the default) is what a service manager's stop does:
   * every session is terminated with 57P01 and the server shuts down cleanly.
   */
  async stop(mode: 'smart' | 'fast' | 'immediate' = 'fast'): Promise<void> {
    if (!existsSync(join(this.dataDir, 'postmaster.pid'))) return;
    await run(
      join(this.bin, 'pg_ctl'),
      ['stop', '-D', this.dataDir, '-m', mode, '-w', '-t', '30'],
      {
        cwd: this.root,
        ...(this.user ?? {}),
      },
    );
  }

  /** A restart as an operator does it (stop -m fast, start); resolves once it accepts connections again. */
  async restart(): Promise<void> {
    await this.stop('fast');
    await this.start();
  }

  /** Stops the server (immediately) and deletes its files. Safe to call twice, and after a failed start. */
  cleanup(): void {
    stopNowSync(this.bin, this.dataDir, this.user);
    rmSync(this.root, { recursive: true, force: true });
    liveClusters.delete(this);
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const client = new Client({ connectionString: this.url(), connectionTimeoutMillis: 2_000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 100));
      } finally {
        await client.end().catch(() => undefined);
      }
    }
  }

  /** A failing test or a crashed worker must not leave a postgres running behind it. */
  private static installExitHook(): void {
    if (exitHookInstalled) return;
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const cluster of liveClusters) cluster.cleanup();
    });
  }
}

/**
 * Stops and deletes private clusters whose test process is gone (killed before
 * its afterAll and exit hook ran). A cluster whose creating process still
 * lives is left alone: a parallel test file may be using it.
 */
export function sweepPrivatePostgres(): number {
  let swept = 0;
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PRIVATE_PG_DIR_PREFIX)) continue;
    const root = join(tmpdir(), name);
    const owner = join(root, 'owner.pid');
    const ownerPid = existsSync(owner) ? Number(readFileSync(owner, 'utf8').trim()) : NaN;
    if (Number.isInteger(ownerPid) && isAlive(ownerPid)) continue;
    try {
      stopNowSync(pgBinDir(), join(root, 'data'), serverUser());
      rmSync(root, { recursive: true, force: true });
      swept += 1;
    } catch {
      // Not ours to fight over; the next sweep tries again.
    }
  }
  return swept;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
