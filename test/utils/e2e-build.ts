import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Set by the e2e global setup to the build it made; child processes of the tests run from it. */
export const E2E_BUILD_ENV = 'FX_E2E_BUILD_DIR';

/**
 * Compiles src/ and migrations/ once per test run with SWC, exactly as
 * `npm run build` and bin/fx-pipeline.js (what `npm run cli` runs) do, into
 * test-artifacts/ (git-ignored; node_modules resolves from there). Spawning a
 * compiled entry point costs a fraction of ts-node compiling the whole app in
 * every child process, and it is the code path production runs.
 */
export function buildForE2e(root = process.cwd()): string {
  const dir = join(root, 'test-artifacts', `e2e-build-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/@swc/cli/bin/swc.js'),
      'src',
      'migrations',
      '--out-dir',
      dir,
      '--config-file',
      '.swcrc',
      '--ignore',
      '**/*.spec.ts',
      '--quiet',
    ],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  return dir;
}

/** Removes the build of this run (global teardown). */
export function removeE2eBuild(): void {
  const dir = process.env[E2E_BUILD_ENV];
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/**
 * The node arguments that run a TypeScript entry point (`src/cli.ts`): its
 * compiled file when the global setup built one, else ts-node (a test file run
 * on its own without the e2e project's setup).
 */
export function entryArgs(entry: string, root = process.cwd()): string[] {
  const dir = process.env[E2E_BUILD_ENV];
  const built = dir && join(dir, entry.replace(/\.ts$/, '.js'));
  if (built && existsSync(built)) return ['--enable-source-maps', built];
  return [join(root, 'node_modules/ts-node/dist/bin.js'), '--transpile-only', entry];
}
