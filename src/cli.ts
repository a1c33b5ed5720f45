import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { createLogger } from './app.factory';
import { CliModule } from './cli.module';
import { AppConfig } from './config/app-config';
import { InvalidEnvironmentError } from './config/env.validation';

/** Nest's own start-up lines: noise in front of a command's output (the app's own logs still show). */
const FRAMEWORK_CONTEXTS = ['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer'];

/** `npm run cli -- <command>`: backfill, job run <name>, metrics:rebuild, cache:warm, ... */
async function main(): Promise<void> {
  const config = AppConfig.fromEnv();
  await CommandFactory.run(CliModule, {
    logger: createLogger(config, FRAMEWORK_CONTEXTS),
    // Commander's own errors (unknown command or option).
    errorHandler: (error) => {
      console.error(error.message);
      process.exit(1);
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
  console.error(error instanceof InvalidEnvironmentError ? error.message : error);
  process.exit(1);
});
