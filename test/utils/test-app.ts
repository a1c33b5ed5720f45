import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { RawEnv } from '../../src/platform/config/env.validation';
import { dropDatabase } from '../../src/platform/database/ensure-database';
import { testEnv } from './test-env';

export interface TestApp {
  app: INestApplication;
  /** http://127.0.0.1:<port> of the listening app. */
  url: string;
  env: RawEnv;
  dataSource: DataSource;
  /** Stops the app; drops its database unless `keepDatabase`. */
  close(options?: { keepDatabase?: boolean }): Promise<void>;
}

/**
 * Boots the real app (same factory as main.ts) on a random port against a
 * throwaway database that the app itself creates and migrates.
 */
export async function startTestApp(overrides: RawEnv = {}, label = 'e2e'): Promise<TestApp> {
  const env = testEnv(overrides, label);
  const app = await createApp(env);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const dataSource = app.get(DataSource);
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    env,
    dataSource,
    close: async (options = {}) => {
      await app.close();
      if (!options.keepDatabase && env.DATABASE_URL) await dropDatabase(env.DATABASE_URL);
    },
  };
}
