/** The public surface of platform/database: other folders import only what is exported here. */
export { buildDataSourceOptions } from './data-source-options';
export { DatabaseModule } from './database.module';
export { withDbRetry } from './db-retry';
export { assertDataDirFree, databaseRuntime, setProcessRole } from './embedded/database-runtime';
export type { DatabaseRuntime } from './embedded/database-runtime';
export { StartupError, checkConfiguredServers } from './startup-error';
export { bigintNumber, exactDecimal, nullableDouble } from './transformers';
