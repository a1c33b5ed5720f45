import { DataSource, EntityManager } from 'typeorm';
import {
  dropPartition,
  ensurePartitionsAhead,
  listPartitions,
  partitionName,
  parsePartitionName,
  partitionsBefore,
  unitFloor,
  type PartitionScheme,
  type TimePartition,
} from '../platform/database';
import { HOUR_MS } from '../platform/time';

export { HOUR_MS };

/**
 * Hourly partitions of `real_time_prices_audit` (see migration
 * 1764000000001-PartitionPriceAudit), on the shared partition helpers of
 * src/platform/database/time-partitions.ts.
 */
export const AUDIT_TABLE = 'real_time_prices_audit';
export const AUDIT_DEFAULT_PARTITION = 'real_time_prices_audit_default';
/** Partitions kept ready beyond the current hour (boot and every audit-prune run extend this). */
export const AUDIT_PARTITIONS_AHEAD = 3;

export const AUDIT_SCHEME: PartitionScheme = {
  table: AUDIT_TABLE,
  column: 'timestamp',
  unit: 'hour',
};

export type AuditPartition = TimePartition;

export const hourFloor = (ms: number): number => unitFloor('hour', ms);

export const auditPartitionName = (hourStart: Date): string =>
  partitionName(AUDIT_SCHEME, hourStart);

/** The hour a partition name stands for, or null for any other name (the default partition). */
export const parseAuditPartitionName = (name: string): AuditPartition | null =>
  parsePartitionName(AUDIT_SCHEME, name);

/** The hourly partitions that exist, oldest first. */
export const listAuditPartitions = (db: DataSource | EntityManager): Promise<AuditPartition[]> =>
  listPartitions(db, AUDIT_SCHEME);

/** Partitions of the hour of `now` and the `ahead` hours after it; returns the names created. */
export const ensureAuditPartitions = (
  db: DataSource,
  now: Date,
  ahead = AUDIT_PARTITIONS_AHEAD,
): Promise<string[]> => ensurePartitionsAhead(db, AUDIT_SCHEME, now, ahead);

/** Hourly partitions lying wholly before `cutoff`. */
export const auditPartitionsBefore = (db: DataSource, cutoff: Date): Promise<AuditPartition[]> =>
  partitionsBefore(db, AUDIT_SCHEME, cutoff);

export const dropAuditPartition = (db: DataSource, partition: AuditPartition): Promise<void> =>
  dropPartition(db, partition);
