import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../platform/config';
import {
  AUDIT_DEFAULT_PARTITION,
  auditPartitionsBefore,
  dropAuditPartition,
  ensureAuditPartitions,
} from '../prices';
import { HOUR_MS, DAY_MS } from '../platform/time';
import { idleSleep } from '../platform/time';

/** A table the retention policy prunes, by its time column. */
interface RetainedTable {
  table: string;
  column: string;
  /** `date` columns (calculation dates) compare against the cutoff's UTC date. */
  kind: 'timestamptz' | 'date';
  /** Columns holding instrument names, for `--instruments`. */
  instrumentColumns: readonly string[];
}

// Table and column names are constants, never input: safe to interpolate into SQL.
export const DATA_TABLES: readonly RetainedTable[] = [
  {
    table: 'oanda_candles',
    column: 'time',
    kind: 'timestamptz',
    instrumentColumns: ['instrument'],
  },
  {
    table: 'volatility_metrics',
    column: 'time',
    kind: 'timestamptz',
    instrumentColumns: ['instrument'],
  },
  {
    table: 'correlation_matrix',
    column: 'time',
    kind: 'date',
    instrumentColumns: ['pair1', 'pair2'],
  },
  {
    table: 'best_pairs_tracker',
    column: 'time',
    kind: 'date',
    instrumentColumns: ['pair1', 'pair2'],
  },
];
export const AUDIT_TABLE: RetainedTable = {
  table: 'real_time_prices_audit',
  column: 'timestamp',
  kind: 'timestamptz',
  instrumentColumns: ['instrument'],
};

export interface RetentionOptions {
  /** "Now" for the cutoff; default the current time. */
  now?: Date;
  /** Count what would be deleted, delete nothing. */
  dryRun?: boolean;
  /** Restrict to rows of these instruments (correlation rows: either pair). */
  instruments?: readonly string[];
  signal?: AbortSignal;
  /** Rows per DELETE; each batch is its own short transaction. */
  batchSize?: number;
}

export interface TableResult {
  table: string;
  /** Rows older than this (for date columns: dated before this day) are removed. */
  cutoff: string;
  /** Rows deleted, or that would be deleted in a dry run. */
  rows: number;
  batches: number;
  /** Audit table: hourly partitions dropped whole (or that would be, in a dry run). */
  partitions?: number;
}

export interface RetentionResult {
  dryRun: boolean;
  tables: TableResult[];
  total: number;
  /** Set when the run stopped early (aborted): the counts are what was done so far. */
  aborted?: string;
}

export const DEFAULT_BATCH_SIZE = 10_000;
const MAX_ATTEMPTS = 3;

/**
 * Deletes rows past their retention: candles, metrics, correlations and best
 * pairs after DATA_RETENTION_DAYS, live-price audit rows after
 * AUDIT_RETENTION_HOURS. Deletes in batches (`DELETE ... WHERE id IN (SELECT id
 * ... LIMIT n)`), each its own statement and so its own short transaction, so
 * no long lock ever blocks the hourly upserts. Idempotent: a second run finds
 * nothing.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Cutoff of the data tables: `now` minus DATA_RETENTION_DAYS. */
  dataCutoff(now: Date): Date {
    return new Date(now.getTime() - this.config.retention.days * DAY_MS);
  }

  /** Cutoff of the audit table: `now` minus AUDIT_RETENTION_HOURS. */
  auditCutoff(now: Date): Date {
    return new Date(now.getTime() - this.config.retention.auditHours * HOUR_MS);
  }

  purgeData(options: RetentionOptions = {}): Promise<RetentionResult> {
    const cutoff = this.dataCutoff(options.now ?? new Date());
    return this.purge(DATA_TABLES, cutoff, options);
  }

  /**
   * The audit table is partitioned by hour: partitions lying wholly before the
   * cutoff are dropped whole, so the cost does not grow with the rows removed,
   * and rows of the partition holding the cutoff stay until it is wholly past
   * (at most an hour more than AUDIT_RETENTION_HOURS; nothing newer is ever
   * removed). Rows that landed in the default partition (hours that had no
   * partition) are deleted in batches. Partitions for the next hours are
   * created first. `--instruments` cannot drop a partition: it deletes rows.
   */
  async pruneAudit(options: RetentionOptions = {}): Promise<RetentionResult> {
    const cutoff = this.auditCutoff(options.now ?? new Date());
    const partitioned = await this.dataSource.query<Array<{ ok: boolean }>>(
      `SELECT to_regclass($1) IS NOT NULL AS ok`,
      [AUDIT_DEFAULT_PARTITION],
    );
    if (options.instruments?.length || !partitioned[0]?.ok)
      return this.purge([AUDIT_TABLE], cutoff, options);
    if (options.signal?.aborted)
      return {
        dryRun: options.dryRun ?? false,
        tables: [],
        total: 0,
        aborted: 'aborted before real_time_prices_audit',
      };
    const result = await this.prunePartitions(cutoff, options);
    return {
      dryRun: options.dryRun ?? false,
      tables: [result],
      total: result.rows,
      ...(options.signal?.aborted ? { aborted: `aborted during ${AUDIT_TABLE.table}` } : {}),
    };
  }

  private async prunePartitions(cutoff: Date, options: RetentionOptions): Promise<TableResult> {
    const dryRun = options.dryRun ?? false;
    // Partitions ahead are made from the real clock (--as-of only moves the cutoff); a dry run writes nothing.
    if (!dryRun)
      await this.withRetry(AUDIT_TABLE.table, () =>
        ensureAuditPartitions(this.dataSource, new Date()),
      );
    const old = await auditPartitionsBefore(this.dataSource, cutoff);
    let rows = 0;
    let partitions = 0;
    for (const partition of old) {
      if (options.signal?.aborted) break;
      const n = await this.partitionRows(partition.name);
      if (!dryRun)
        await this.withRetry(partition.name, () => dropAuditPartition(this.dataSource, partition));
      rows += n;
      partitions += 1;
    }
    const strays: RetainedTable = { ...AUDIT_TABLE, table: AUDIT_DEFAULT_PARTITION };
    const rest = dryRun
      ? await this.count(strays, cutoff, options)
      : await this.deleteInBatches(strays, cutoff, options);
    const total = rows + rest.rows;
    this.logger.log(
      `retention: ${AUDIT_TABLE.table}: ${dryRun ? 'would drop' : 'dropped'} ${partitions} hourly partition(s) ` +
        `and ${dryRun ? 'would delete' : 'deleted'} ${rest.rows} default-partition row(s) older than ${rest.cutoff}: ${total} rows` +
        (dryRun ? ' (dry run)' : ''),
    );
    return {
      table: AUDIT_TABLE.table,
      cutoff: rest.cutoff,
      rows: total,
      batches: rest.batches,
      partitions,
    };
  }

  private async purge(
    tables: readonly RetainedTable[],
    cutoff: Date,
    options: RetentionOptions,
  ): Promise<RetentionResult> {
    const dryRun = options.dryRun ?? false;
    const results: TableResult[] = [];
    let aborted: string | undefined;
    for (const spec of tables) {
      if (options.signal?.aborted) {
        aborted = `aborted before ${spec.table}: ${String((options.signal.reason as Error)?.message ?? options.signal.reason)}`;
        break;
      }
      const result = dryRun
        ? await this.count(spec, cutoff, options)
        : await this.deleteInBatches(spec, cutoff, options);
      results.push(result);
      this.logger.log(
        `retention: ${spec.table}: ${dryRun ? 'would delete' : 'deleted'} ${result.rows} rows older than ${result.cutoff}` +
          (dryRun ? ' (dry run)' : ` in ${result.batches} batch(es)`),
      );
      if (options.signal?.aborted) {
        aborted = `aborted during ${spec.table}`;
        break;
      }
    }
    return {
      dryRun,
      tables: results,
      total: results.reduce((sum, r) => sum + r.rows, 0),
      ...(aborted ? { aborted } : {}),
    };
  }

  /** WHERE clause and parameters ($1 = cutoff, instruments next) shared by count and delete. */
  private where(
    spec: RetainedTable,
    cutoff: Date,
    instruments: readonly string[] | undefined,
  ): { sql: string; params: unknown[]; cutoff: string } {
    const day = cutoff.toISOString().slice(0, 10);
    const params: unknown[] = [spec.kind === 'date' ? day : cutoff];
    let sql = `${spec.column} < $1${spec.kind === 'date' ? '::date' : ''}`;
    if (instruments?.length) {
      params.push([...instruments]);
      sql += ` AND (${spec.instrumentColumns.map((c) => `${c} = ANY($2)`).join(' OR ')})`;
    }
    return { sql, params, cutoff: spec.kind === 'date' ? day : cutoff.toISOString() };
  }

  /**
   * Rows of a partition about to be dropped, for the job's records: PostgreSQL's
   * own figure (pg_class.reltuples, kept by autovacuum and ANALYZE) so the
   * prune does not scan what it drops; an exact count only for a partition
   * never vacuumed nor analysed (reltuples -1).
   */
  private async partitionRows(name: string): Promise<number> {
    const [stats] = await this.dataSource.query<Array<{ n: number }>>(
      `SELECT reltuples::float8 AS n FROM pg_class WHERE oid = to_regclass($1)`,
      [name],
    );
    if (stats && stats.n >= 0) return Math.round(stats.n);
    const [{ n }] = await this.dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM ${name}`,
    );
    return n;
  }

  private async count(
    spec: RetainedTable,
    cutoff: Date,
    options: RetentionOptions,
  ): Promise<TableResult> {
    const where = this.where(spec, cutoff, options.instruments);
    const rows = await this.dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM ${spec.table} WHERE ${where.sql}`,
      where.params,
    );
    return { table: spec.table, cutoff: where.cutoff, rows: rows[0].n, batches: 0 };
  }

  private async deleteInBatches(
    spec: RetainedTable,
    cutoff: Date,
    options: RetentionOptions,
  ): Promise<TableResult> {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const where = this.where(spec, cutoff, options.instruments);
    const limitParam = `$${where.params.length + 1}`;
    const sql =
      `DELETE FROM ${spec.table} WHERE id IN ` +
      `(SELECT id FROM ${spec.table} WHERE ${where.sql} LIMIT ${limitParam})`;
    let deleted = 0;
    let batches = 0;
    for (;;) {
      if (options.signal?.aborted) break;
      const affected = await this.withRetry(spec.table, () =>
        this.dataSource.query<[unknown[], number]>(sql, [...where.params, batchSize]),
      );
      const n = affected[1];
      batches += 1;
      deleted += n;
      if (n < batchSize) break;
    }
    return { table: spec.table, cutoff: where.cutoff, rows: deleted, batches };
  }

  /** A batch that fails on a transient fault (connection reset, lock timeout) is retried with backoff. */
  private async withRetry<T>(table: string, run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await run();
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS) throw error;
        const delay = 250 * 2 ** (attempt - 1);
        this.logger.warn(
          `retention: ${table}: batch failed (${(error as Error).message}); retry ${attempt}/${MAX_ATTEMPTS - 1} in ${delay} ms`,
        );
        await idleSleep(delay);
      }
    }
  }
}
