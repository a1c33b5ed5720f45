/** The public surface of platform/database: other folders import only what is exported here. */
export { buildDataSourceOptions } from './data-source-options';
export { DatabaseModule } from './database.module';
export { withDbRetry } from './db-retry';
export { assertDataDirFree, databaseRuntime, setProcessRole } from './embedded/database-runtime';
export type { DatabaseRuntime } from './embedded/database-runtime';
export { StartupError, checkConfiguredServers } from './startup-error';
export { bigintNumber, exactDecimal, nullableDouble } from './transformers';
export {
  MONTHS_AHEAD,
  PartitionedTable,
  defaultPartitionName,
  dropPartition,
  ensurePartitions,
  ensurePartitionsAhead,
  listPartitions,
  parsePartitionName,
  partitionName,
  partitionsBefore,
  unitAdd,
  unitFloor,
  unitsOf,
} from './time-partitions';
export type {
  PartitionDropHooks,
  PartitionScheme,
  PartitionUnit,
  TimePartition,
} from './time-partitions';
export { DEFAULT_BATCH_SIZE, purgeBefore, withRetry } from './time-purge';
export type { PurgeOptions, PurgeResult, PurgeTarget } from './time-purge';
