import 'reflect-metadata';
import cluster from 'node:cluster';
import type { Logger as NestLogger } from '@nestjs/common';
import {
  clusterRefusal,
  holdStickyConnections,
  primaryLog,
  runClusterPrimary,
} from './platform/cluster';
import { AppConfig } from './platform/config/app-config';
import { InvalidEnvironmentError } from './platform/config/env.validation';
import {
  assertDataDirFree,
  type DatabaseRuntime,
} from './platform/database/embedded/database-runtime';
import { checkConfiguredServers, StartupError } from './platform/database/startup-error';

// Nest and the app modules load only after the checks below (dynamic imports): a wrong
// DATABASE_URL is reported in well under a second instead of after seconds of module loading.
let Logger: typeof NestLogger | undefined;

/** Backstop: whatever hangs in the shutdown, the process is gone this long after the signal. */
const HARD_EXIT_MS = 9_500;

function armHardExit(signal: string): void {
  const timer = setTimeout(() => {
    if (Logger)
      new Logger('Bootstrap').error(
        `shutdown after ${signal} did not finish in ${HARD_EXIT_MS} ms; exiting`,
      );
    process.exit(1);
  }, HARD_EXIT_MS);
  // Never the reason the process stays alive: a clean shutdown exits before it fires.
  timer.unref();
}

/**
 * One line when the signal arrives and one when the process is done, so an
 * operator sees that a stop was asked for, finished, and how long it took
 * (the 'exit' event is the very end: after every shutdown hook, whatever the exit code).
 */
function logShutdown(signal: string): void {
  // Before Nest is loaded (a signal during the start-up checks) there is no app logger yet.
  const logger = {
    log: (message: string, fields: Record<string, unknown>): void => {
      if (Logger) new Logger('Bootstrap').log(message, fields);
      else console.error(message);
    },
  };
  const since = performance.now();
  logger.log(`received ${signal}; shutting down`, { event: 'shutdown_started', signal });
  process.once('exit', (code) => {
    const ms = Math.round(performance.now() - since);
    logger.log(`shutdown after ${signal} done in ${ms} ms (exit code ${code})`, {
      event: 'shutdown_done',
      signal,
      duration_ms: ms,
      exit_code: code,
    });
  });
}

/** One line saying where the data and the live events are, so nobody mistakes the embedded mode for production. */
function modeLine(config: AppConfig, database: DatabaseRuntime): string {
  const pubsub = config.redis.url
    ? `Redis at ${new URL(config.redis.url).host}`
    : 'in-process pub/sub and cache';
  const advice =
    config.mode === 'embedded'
      ? '; set DATABASE_URL and REDIS_URL for production (several instances)'
      : '';
  return `mode ${config.mode}: ${database.description}; ${pubsub}${advice}`;
}

/**
 * WORKERS > 1, in the process started by the user: the cluster primary. It
 * checks what it can (config, servers) so a mistake is one line, not N
 * workers failing; then it only forks and watches (src/platform/cluster).
 */
async function startPrimary(config: AppConfig): Promise<void> {
  const refusal = clusterRefusal(config);
  if (refusal) throw new StartupError(refusal);
  await checkConfiguredServers({ databaseUrl: config.database.url, redisUrl: config.redis.url });
  const log = primaryLog({
    json: config.app.logFormat === 'json',
    instanceId: config.app.instanceId,
    level: config.app.logLevel,
  });
  try {
    await runClusterPrimary({
      workers: config.cluster.workers,
      port: config.app.port,
      instanceId: config.app.instanceId,
      log,
    });
  } catch (error) {
    throw new StartupError(`cannot listen on PORT ${config.app.port}: ${(error as Error).message}`);
  }
}

async function bootstrap(): Promise<void> {
  // Synchronous: no signal can be handled before the branch below.
  const config = AppConfig.load();
  const clustered = config.cluster.workers > 1;
  if (clustered && cluster.isPrimary) return startPrimary(config);
  // A cluster worker: the primary hands it connections from the moment it is forked.
  const sticky = clustered ? holdStickyConnections() : null;
  let started = false;
  let stopping = false;
  const onSignal = (signal: string): void => {
    // A second signal (SIGINT after SIGTERM) changes nothing: the first shutdown is already running.
    if (stopping) return;
    stopping = true;
    logShutdown(signal);
    // Before the app exists nothing is served and no shutdown hook is installed: just leave
    // (the embedded PostgreSQL, if any, is stopped by its 'exit' handler).
    if (!started) process.exit(0);
    armHardExit(signal);
  };
  // Registered before the app's own handlers (added by createApp), so the backstop is armed first.
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  // A configured server nobody answers is a one-line error now, not retries and stack traces.
  await checkConfiguredServers({ databaseUrl: config.database.url, redisUrl: config.redis.url });
  assertDataDirFree(config);
  const [{ createApp }, { DATABASE_RUNTIME }, nest, { HttpAdapterHost }, { ensureFirstKey }] =
    await Promise.all([
      import('./app.factory'),
      import('./platform/database/database.module'),
      import('@nestjs/common'),
      import('@nestjs/core'),
      import('./auth/first-key'),
    ]);
  Logger = nest.Logger;
  let socketServer: unknown;
  const app = await createApp({}, { onSocketServer: (server) => (socketServer = server) });
  started = true;
  if (sticky) {
    // The primary owns PORT; this worker serves the connections it hands over.
    await app.init();
    sticky.serve(socketServer);
    // What app.listen() would announce: starts what waits for it (the jobs' boot catch-up).
    app.get(HttpAdapterHost).listening = true;
  } else {
    await app.listen(config.app.port, '0.0.0.0');
  }
  const url = `http://localhost:${config.app.port}`;
  const logger = new nest.Logger('Bootstrap');
  logger.log(modeLine(config, app.get<DatabaseRuntime>(DATABASE_RUNTIME)));
  logger.log(
    `FX Data Pipeline ${config.app.version} on ${url} (provider: ${config.market.provider}, ` +
      `${config.market.instruments.length} instruments) - API ${url}/api/v1, docs ${url}/docs`,
  );
  await ensureFirstKey(app, url);
}

bootstrap().catch((error: unknown) => {
  if (error instanceof InvalidEnvironmentError || error instanceof StartupError) {
    console.error(error.message);
  } else {
    console.error(
      'Failed to start:',
      error instanceof Error ? (error.stack ?? error.message) : error,
    );
  }
  process.exit(1);
});
