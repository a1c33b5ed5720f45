import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { ensureDatabase } from './ensure-database';
import { runMigrationsLocked } from './run-migrations';

/**
 * Connects to PostgreSQL: creates the database if missing, then runs pending
 * migrations (unless DB_MIGRATIONS_RUN=false) under a lock so instances that
 * start together do not race.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => buildDataSourceOptions(config),
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
      provide: 'MIGRATIONS_DONE',
      inject: [AppConfig, DataSource],
      useFactory: async (config: AppConfig, dataSource: DataSource) => {
        if (config.database.migrationsRun)
          await runMigrationsLocked(dataSource, new Logger('Database'));
        return true;
      },
    },
  ],
  exports: ['MIGRATIONS_DONE'],
})
export class DatabaseModule {}
