import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { idleSleep } from '../time';
import {
  defaultPartitionName,
  dropPartition,
  isPartitioned,
  partitionRows,
  partitionsBefore,
  type PartitionDropHooks,
  type PartitionScheme,
  type TimePartition,
} from './time-partitions';

/** A table pruned by its time column; names are constants, never input (safe to interpolate). */
export interface PurgeTarget {
  table: string;
  column: string;
  /** `date` columns (calculation dates) compare against the cutoff's UTC date. */
  kind: 'timestamptz' | 'date';
  /** Columns holding instrument names, for `--instruments`. */
  instrumentColumns: readonly string[];
  /** Set when the table is range-partitioned on `column`: partitions wholly past the cutoff are dropped. */
  partitions?: PartitionScheme;
  /** Keeps a trigger-maintained summary right when a whole partition is dropped (no trigger fires). */
  dropHooks?: PartitionDropHooks;
  /**
   * False: the partition holding the cutoff is left whole until it is wholly
   * past (the hourly audit partitions: at most an hour more), and only strays
   * of the default partition are deleted row by row. Default true: it is
   * trimmed to the cutoff.
   */
  trimStraddling?: boolean;
}

export interface PurgeOptions {
  /** Count what would be removed, remove nothing. */
  dryRun?: boolean;
  /** Restrict to rows of these instruments (correlation rows: either pair). Never drops a partition. */
  instruments?: readonly string[];
  signal?: AbortSignal;
  /** Rows per DELETE; each batch is its own short transaction. */
  batchSize?: number;
  /** Called for each partition dropped (a writer forgets it knew it). */
  onDrop?: (partition: TimePartition) => void;
}

export interface PurgeResult {
  table: string;
  /** Rows older than this (for date columns: dated before this day) are removed. */
  cutoff: string;
  /** Rows removed, or that would be in a dry run. */
  rows: number;
  batches: number;
  /** Partitioned tables: partitions dropped whole (or that would be, in a dry run). */
  partitions?: number;
}

export const DEFAULT_BATCH_SIZE = 10_000;
const MAX_ATTEMPTS = 3;
const logger = new Logger('Retention');

/**
 * Removes the rows of `target` older than `cutoff`. A partitioned table first
 * loses every partition lying wholly before the cutoff (a catalogue change,
 * whatever the rows); what is left older than the cutoff (the partition that
 * straddles it, strays in the default partition, or everything of an
 * unpartitioned table or an `--instruments` run) goes in batches
 * (`DELETE ... WHERE id IN (SELECT id ... LIMIT n)`), each its own statement
 * and so its own short transaction, so no long lock ever blocks the writers.
 * Idempotent: a second run finds nothing.
 */
export async function purgeBefore(
  db: DataSource,
  target: PurgeTarget,
  cutoff: Date,
  options: PurgeOptions = {},
): Promise<PurgeResult> {
  const dryRun = options.dryRun ?? false;
  let dropped = { rows: 0, partitions: 0 };
  const partitioned =
    target.partitions !== undefined &&
    !options.instruments?.length &&
    (await isPartitioned(db, target.partitions));
  if (partitioned && target.partitions)
    dropped = await dropWholePartitions(db, target.partitions, cutoff, options, target.dropHooks);
  // Rows left past the cutoff: in the straddling partition and the default one, or only the latter.
  const rowTarget =
    partitioned && target.partitions && target.trimStraddling === false
      ? { ...target, table: defaultPartitionName(target.partitions) }
      : target;
  const rest = dryRun
    ? await count(db, rowTarget, cutoff, options)
    : await deleteInBatches(db, rowTarget, cutoff, options);
  const result: PurgeResult = {
    ...rest,
    table: target.table,
    rows: rest.rows + dropped.rows,
    ...(partitioned ? { partitions: dropped.partitions } : {}),
  };
  logger.log(
    `retention: ${target.table}: ${dryRun ? 'would remove' : 'removed'} ${result.rows} rows older than ${result.cutoff}` +
      (partitioned ? ` (${dropped.partitions} partition(s) whole)` : '') +
      (dryRun ? ' (dry run)' : ` in ${result.batches} batch(es)`),
  );
  return result;
}

async function dropWholePartitions(
  db: DataSource,
  scheme: PartitionScheme,
  cutoff: Date,
  options: PurgeOptions,
  hooks?: PartitionDropHooks,
): Promise<{ rows: number; partitions: number }> {
  let rows = 0;
  let partitions = 0;
  for (const partition of await partitionsBefore(db, scheme, cutoff)) {
    if (options.signal?.aborted) break;
    rows += await partitionRows(db, partition.name);
    if (!options.dryRun) {
      await withRetry(partition.name, () => dropPartition(db, partition, hooks));
      options.onDrop?.(partition);
    }
    partitions += 1;
  }
  return { rows, partitions };
}

/** WHERE clause and parameters ($1 = cutoff, instruments next) shared by count and delete. */
function where(
  target: PurgeTarget,
  cutoff: Date,
  instruments: readonly string[] | undefined,
): { sql: string; params: unknown[]; cutoff: string } {
  const day = cutoff.toISOString().slice(0, 10);
  const params: unknown[] = [target.kind === 'date' ? day : cutoff];
  let sql = `${target.column} < $1${target.kind === 'date' ? '::date' : ''}`;
  if (instruments?.length) {
    params.push([...instruments]);
    sql += ` AND (${target.instrumentColumns.map((c) => `${c} = ANY($2)`).join(' OR ')})`;
  }
  return { sql, params, cutoff: target.kind === 'date' ? day : cutoff.toISOString() };
}

async function count(
  db: DataSource,
  target: PurgeTarget,
  cutoff: Date,
  options: PurgeOptions,
): Promise<PurgeResult> {
  const w = where(target, cutoff, options.instruments);
  const rows = await db.query<Array<{ n: number }>>(
    `SELECT count(*)::int AS n FROM ${target.table} WHERE ${w.sql}`,
    w.params,
  );
  return { table: target.table, cutoff: w.cutoff, rows: rows[0].n, batches: 0 };
}

async function deleteInBatches(
  db: DataSource,
  target: PurgeTarget,
  cutoff: Date,
  options: PurgeOptions,
): Promise<PurgeResult> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const w = where(target, cutoff, options.instruments);
  const limitParam = `$${w.params.length + 1}`;
  // The outer time condition lets a partitioned table look only at partitions before the cutoff.
  const sql =
    `DELETE FROM ${target.table} WHERE ${w.sql} AND id IN ` +
    `(SELECT id FROM ${target.table} WHERE ${w.sql} LIMIT ${limitParam})`;
  let deleted = 0;
  let batches = 0;
  for (;;) {
    if (options.signal?.aborted) break;
    const affected = await withRetry(target.table, () =>
      db.query<[unknown[], number]>(sql, [...w.params, batchSize]),
    );
    const n = affected[1];
    batches += 1;
    deleted += n;
    if (n < batchSize) break;
  }
  return { table: target.table, cutoff: w.cutoff, rows: deleted, batches };
}

/** A batch that fails on a transient fault (connection reset, lock timeout) is retried with backoff. */
export async function withRetry<T>(what: string, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS) throw error;
      const delay = 250 * 2 ** (attempt - 1);
      logger.warn(
        `retention: ${what}: batch failed (${(error as Error).message}); retry ${attempt}/${MAX_ATTEMPTS - 1} in ${delay} ms`,
      );
      await idleSleep(delay);
    }
  }
}
