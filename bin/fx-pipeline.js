#!/usr/bin/env node
'use strict';
/**
 * `fx-pipeline` (package.json "bin"; also `npm run cli --`): runs the compiled
 * CLI, dist/src/cli.js. When a source file is newer than the build (a fresh
 * clone, a git pull, an edit) it rebuilds first with SWC, about a second, so
 * the CLI never runs stale code. Build chatter goes to stderr: stdout is the
 * command's output only.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const entry = join(root, 'dist', 'src', 'cli.js');

/** Newest modification time of the .ts files under `dir` (0 when it does not exist). */
function newestSource(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, item.name);
    if (item.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (item.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function builtAt() {
  try {
    return statSync(entry).mtimeMs;
  } catch {
    return 0;
  }
}

const sources = Math.max(newestSource(join(root, 'src')), newestSource(join(root, 'migrations')));
// No sources (an image with dist only) or no compiler (production install): run what is there.
const swc = join(root, 'node_modules', '@swc', 'cli', 'bin', 'swc.js');
if (sources > builtAt() && existsSync(swc)) {
  process.stderr.write('fx-pipeline: sources changed since the last build; building (SWC)...\n');
  const build = spawnSync(
    process.execPath,
    [
      swc,
      'src',
      'migrations',
      '--out-dir',
      'dist',
      '--config-file',
      '.swcrc',
      '--ignore',
      '**/*.spec.ts',
      '--quiet',
    ],
    { cwd: root, stdio: ['ignore', 2, 2] },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
}
require(entry);
