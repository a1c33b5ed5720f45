import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { ensureFirstKey } from './auth/first-key';
import { AppConfig } from './config/app-config';
import { InvalidEnvironmentError } from './config/env.validation';

/** Backstop: whatever hangs in the shutdown, the process is gone this long after the signal. */
const HARD_EXIT_MS = 9_500;

function armHardExit(signal: string): void {
  const timer = setTimeout(() => {
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
  const logger = new Logger('Bootstrap');
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

async function bootstrap(): Promise<void> {
  let started = false;
  let stopping = false;
  const onSignal = (signal: string): void => {
    // A second signal (SIGINT after SIGTERM) changes nothing: the first shutdown is already running.
    if (stopping) return;
    stopping = true;
    logShutdown(signal);
    // Before the app exists nothing is served and no shutdown hook is installed: just leave.
    if (!started) process.exit(0);
    armHardExit(signal);
  };
  // Registered before the app's own handlers (added by createApp), so the backstop is armed first.
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const app = await createApp();
  started = true;
  const config = app.get(AppConfig);
  await app.listen(config.app.port, '0.0.0.0');
  const url = `http://localhost:${config.app.port}`;
  new Logger('Bootstrap').log(
    `FX Data Pipeline ${config.app.version} on ${url} (provider: ${config.market.provider}, ` +
      `${config.market.instruments.length} instruments) - API ${url}/api/v1, docs ${url}/docs`,
  );
  await ensureFirstKey(app, url);
}

bootstrap().catch((error: unknown) => {
  if (error instanceof InvalidEnvironmentError) {
    console.error(error.message);
  } else {
    console.error(
      'Failed to start:',
      error instanceof Error ? (error.stack ?? error.message) : error,
    );
  }
  process.exit(1);
});
