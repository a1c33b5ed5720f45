import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { createLogger } from './app.factory';
import { CliModule } from './cli.module';
import { AppConfig } from './config/app-config';
import { InvalidEnvironmentError } from './config/env.validation';

/** `npm run cli -- <command>`: backfill, job run <name>, metrics:rebuild, cache:warm, ... */
async function main(): Promise<void> {
  const config = AppConfig.fromEnv();
  await CommandFactory.run(CliModule, {
    logger: createLogger(config),
    errorHandler: (error) => {
      console.error(error.message);
      process.exit(1);
    },
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof InvalidEnvironmentError ? error.message : error);
  process.exit(1);
});
