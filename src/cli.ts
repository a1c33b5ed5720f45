#!/usr/bin/env node
import 'reflect-metadata';
import { AppConfig } from './platform/config/app-config';
import { InvalidEnvironmentError } from './platform/config/env.validation';
import { setProcessRole } from './platform/database/embedded/database-runtime';
import { checkConfiguredServers, StartupError } from './platform/database/startup-error';

/** Nest's own start-up lines: noise in front of a command's output (the app's own logs still show). */
const FRAMEWORK_CONTEXTS = ['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer'];

/** Commander's ways of saying "I printed what was asked" (help, version): not failures. */
const DONE_CODES = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

/**
 * `fx-pipeline <command>` (or `npm run cli -- <command>`): backfill, job run <name>,
 * job list, metrics:rebuild, cache:warm, ... stdout carries the command's
 * output only; logs go to stderr.
 */
async function main(): Promise<void> {
  // Next to a running service, use its embedded PostgreSQL instead of refusing DATA_DIR.
  setProcessRole('cli');
  const config = AppConfig.fromEnv();
  const args = process.argv.slice(2);
  // The one command people run to look: answered without loading Nest (see fast-job-list.ts).
  if (args.length === 2 && args[0] === 'job' && args[1] === 'list') {
    const { fastJobList } = await import('./cli/fast-job-list');
    if (await fastJobList(config)) return;
  }
  await checkConfiguredServers({ databaseUrl: config.database.url });
  // Loaded here, not at the top: the lean path above must not pay for Nest and every module.
  const [{ CommandFactory }, { CliModule }, { StderrLogger }] = await Promise.all([
    import('nest-commander'),
    import('./cli.module'),
    import('./cli/stderr-logger'),
  ]);
  const levels = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
  await CommandFactory.run(CliModule, {
    logger: new StderrLogger(
      config.app.instanceId,
      {
        json: config.app.logFormat === 'json',
        logLevels: levels.slice(0, levels.indexOf(config.app.logLevel as 'log') + 1),
        colors: config.app.logFormat !== 'json' && process.stderr.isTTY,
      },
      FRAMEWORK_CONTEXTS,
    ),
    // Commander's own exits, its message already printed: help and version are successes;
    // unknown commands or options are not.
    errorHandler: (error: Error & { code?: string }) => {
      process.exit(DONE_CODES.has(error.code ?? '') ? 0 : 1);
    },
    // Anything a command or an option parser throws. nest-commander's default only prints it,
    // leaving exit code 0, so a failed command would look like a success to scripts.
    serviceErrorHandler: (error) => {
      console.error(`error: ${error.message}`);
      process.exitCode = 1;
    },
  });
}

main().catch((error: unknown) => {
  console.error(
    error instanceof InvalidEnvironmentError || error instanceof StartupError
      ? error.message
      : error,
  );
  process.exit(1);
});
