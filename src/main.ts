import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { AppConfig } from './config/app-config';
import { InvalidEnvironmentError } from './config/env.validation';

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const config = app.get(AppConfig);
  await app.listen(config.app.port, '0.0.0.0');
  const url = `http://localhost:${config.app.port}`;
  new Logger('Bootstrap').log(
    `FX Data Pipeline ${config.app.version} on ${url} (provider: ${config.market.provider}, ` +
      `${config.market.instruments.length} instruments) - API ${url}/api/v1, docs ${url}/docs`,
  );
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
