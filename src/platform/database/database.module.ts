import { DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config';
import { buildDataSourceOptions } from './data-source-options';
import { databaseRuntime, DatabaseRuntime } from './embedded/database-runtime';
import { ensureDatabase } from './ensure-database';
import { runMigrationsLocked } from './run-migrations';
import { StartupError } from './startup-error';

/** Where the database is (embedded or external), for the boot line and the detailed health. */
export const DATABASE_RUNTIME = Symbol('DATABASE_RUNTIME');

const embeddedLog = (message: string): void => new Logger('EmbeddedPostgres').log(message);

/**
 * Connects to PostgreSQL: creates the database if missing, then runs pending
 * migrations (unless DB_MIGRATIONS_RUN=false) under a lock so instances that
 * start together do not race.
 */
@Module({})
export class DatabaseModule {
  /** The entities come from the composition root, so the platform imports no feature. */
  static forRoot(entities: NonNullable<DataSourceOptions['entities']>): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          // DATABASE_URL, or the embedded PostgreSQL of DATA_DIR (started here when DATABASE_URL is unset).
          useFactory: async (config: AppConfig) => ({
            ...buildDataSourceOptions(
              config,
              entities,
              (await databaseRuntime(config, embeddedLog)).url,
            ),
            // A failure the user has to fix is not retried for 30 s.
            toRetry: (error: unknown) => !(error instanceof StartupError),
          }),
          dataSourceFactory: async (options) => {
            if (!options) throw new Error('TypeORM options missing');
            const logger = new Logger('Database');
            await ensureDatabase(String((options as { url?: string }).url), logger);
            const dataSource = await new DataSource(options).initialize();
            return dataSource;
          },
        }),
      ],
      providers: [
        {
          provide: DATABASE_RUNTIME,
          inject: [AppConfig],
          useFactory: (config: AppConfig): Promise<DatabaseRuntime> =>
            databaseRuntime(config, embeddedLog),
        },
        {
          provide: 'MIGRATIONS_DONE',
          inject: [AppConfig, DataSource],
          useFactory: async (config: AppConfig, dataSource: DataSource) => {
            if (config.database.migrationsRun)
              await runMigrationsLocked(dataSource, new Logger('Database'));
            return true;
          },
        },
      ],
      exports: ['MIGRATIONS_DONE', DATABASE_RUNTIME],
    };
  }
}
