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

async function bootstrap(): Promise<void> {
  let started = false;
  const onSignal = (signal: string): void => {
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
