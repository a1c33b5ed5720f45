import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLock, LOCK_FILE } from './data-dir-lock';

describe(DataDirLock.name, () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fx-lock-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should take a free DATA_DIR and write who holds it, then free it on release', () => {
    const taken = DataDirLock.acquire(dir, 'service');
    if (!('lock' in taken)) throw new Error('expected the lock');
    const holder = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number };
    expect(holder.pid).toBe(process.pid);
    expect(DataDirLock.holder(dir)).toMatchObject({ pid: process.pid, role: 'service' });
    taken.lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('should name the live process that holds it', async () => {
    // Another live Node process holds the lock.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      const holder = { pid: other.pid, role: 'service', command: 'start', started_at: 'x' };
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holder));
      expect(DataDirLock.acquire(dir, 'cli')).toEqual({ heldBy: holder });
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('should take over a stale lock whose process is gone', async () => {
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => gone.once('exit', resolve));
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: gone.pid, role: 'service', command: 'start', started_at: 'x' }),
    );
    expect(DataDirLock.holder(dir)).toBeNull();
    const taken = DataDirLock.acquire(dir, 'service');
    expect('lock' in taken).toBe(true);
    if ('lock' in taken) taken.lock.release();
  });
});
