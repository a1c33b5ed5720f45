import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import { AppConfig } from '../config';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/**
 * The one place TypeORM options are built; the app module and `ormconfig.ts`
 * (the typeorm CLI) both call it. Schema changes only through migrations.
 */
export function buildDataSourceOptions(
  config: Pick<AppConfig, 'database' | 'app'>,
  /** The entity classes; the composition root (src/entities.ts) lists them, the platform knows no feature. */
  entities: DataSourceOptions['entities'],
  /** The resolved database (the embedded one's URL when DATABASE_URL is unset). */
  url = config.database.url,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false, // run explicitly after ensureDatabase(), see DatabaseModule
    namingStrategy: new SnakeNamingStrategy(),
    // Query errors surface as exceptions to their callers; TypeORM's own console logging only when debugging.
    logging:
      config.app.logLevel === 'verbose'
        ? 'all'
        : config.app.logLevel === 'debug'
          ? ['error', 'warn']
          : false,
    extra: {
      max: config.database.poolSize,
      application_name: `fx-data-pipeline:${config.app.instanceId}`,
      // A restarted PostgreSQL leaves dead sockets in the pool; keepalive finds them.
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
    },
  };
}
