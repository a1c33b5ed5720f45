import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export type ProcessRole = 'service' | 'cli';

/** Who holds DATA_DIR: written into the lock file so a refused process can say who. */
export interface LockHolder {
  pid: number;
  role: ProcessRole;
  command: string;
  started_at: string;
}

export const LOCK_FILE = 'fx-pipeline.lock';

/**
 * True when `pid` is a live process that could be ours. After a crash the pid
 * in a lock file may have been reused by something unrelated; on Linux the
 * command line tells a Node process (ours) from the rest.
 */
export function isLiveProcess(pid: number, expect?: RegExp): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (!expect) return true;
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return true; // no procfs (macOS): trust kill(0)
  try {
    const text = readFileSync(cmdline, 'utf8').replace(/\0/g, ' ');
    // A zombie has an empty command line: it is gone for our purposes.
    return text.trim() !== '' && expect.test(text);
  } catch {
    return false;
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}

/**
 * One process owns a DATA_DIR's embedded PostgreSQL at a time. The lock is a
 * file created with O_EXCL holding the owner's pid; a lock whose owner is dead
 * (a crash, kill -9) is stale and taken over.
 */
export class DataDirLock {
  private released = false;

  private constructor(
    private readonly path: string,
    readonly holder: LockHolder,
  ) {}

  /** The lock, or the live process that holds it. */
  static acquire(
    dataDir: string,
    role: ProcessRole,
  ): { lock: DataDirLock } | { heldBy: LockHolder } {
    const path = join(dataDir, LOCK_FILE);
    const holder: LockHolder = {
      pid: process.pid,
      role,
      command: process.argv.slice(2).join(' ') || 'start',
      started_at: new Date().toISOString(),
    };
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        const fd = openSync(path, 'wx', 0o644);
        writeSync(fd, JSON.stringify(holder));
        closeSync(fd);
        return { lock: new DataDirLock(path, holder) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = readHolder(path);
      if (current && current.pid !== process.pid && isLiveProcess(current.pid, /node/))
        return { heldBy: current };
      // Stale (owner gone) or unreadable (owner died mid-write): take it over.
      try {
        unlinkSync(path);
      } catch {
        // Someone else removed it first; the next attempt sorts it out.
      }
    }
    throw new Error(`could not take ${path}`);
  }

  /** Who holds the lock now, if anyone alive. */
  static holder(dataDir: string): LockHolder | null {
    const current = readHolder(join(dataDir, LOCK_FILE));
    return current && isLiveProcess(current.pid, /node/) ? current : null;
  }

  /** Synchronous so it also works from a process 'exit' handler. */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (readHolder(this.path)?.pid !== process.pid) return;
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone.
    }
  }
}
