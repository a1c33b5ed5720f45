import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config';
import { RawEnv } from './env.validation';

/**
 * Provides the validated `AppConfig`. `overrides` lets tests and the CLI run an
 * app with extra variables without mutating `process.env`.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(overrides: RawEnv = {}): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [
        {
          provide: AppConfig,
          useFactory: () => AppConfig.load(overrides),
        },
      ],
      exports: [AppConfig],
    };
  }
}
