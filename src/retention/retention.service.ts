import { Injectable } from '@nestjs/common';
import { BestPairsStore } from '../best-pairs';
import { CandleStore } from '../candles';
import { CorrelationStore } from '../correlation';
import { AppConfig } from '../platform/config';
import type { PurgeOptions, PurgeResult } from '../platform/database';
import { DAY_MS, HOUR_MS } from '../platform/time';
import { PriceAuditService } from '../prices';
import { VolatilityMetricsStore } from '../volatility';

export { DEFAULT_BATCH_SIZE } from '../platform/database';

export interface RetentionOptions extends Omit<PurgeOptions, 'onDrop'> {
  /** "Now" for the cutoff; default the current time. */
  now?: Date;
}

export type TableResult = PurgeResult;

export interface RetentionResult {
  dryRun: boolean;
  tables: TableResult[];
  total: number;
  /** Set when the run stopped early (aborted): the counts are what was done so far. */
  aborted?: string;
}

interface Purger {
  table: string;
  purgeBefore(cutoff: Date, options: PurgeOptions): Promise<PurgeResult>;
}

/**
 * The retention policy: candles, metrics, correlations and best pairs go
 * after DATA_RETENTION_DAYS, live-price audit rows after
 * AUDIT_RETENTION_HOURS. It only decides cutoffs and order; each table's
 * store removes its own rows (purgeBefore): the partitioned tables drop whole
 * partitions past the cutoff and trim the one holding it in batches, the
 * others delete in batches (src/platform/database/time-purge.ts). Idempotent:
 * a second run finds nothing.
 */
@Injectable()
export class RetentionService {
  private readonly dataTables: readonly Purger[];

  constructor(
    private readonly config: AppConfig,
    private readonly candles: CandleStore,
    private readonly metrics: VolatilityMetricsStore,
    correlations: CorrelationStore,
    bestPairs: BestPairsStore,
    private readonly audit: PriceAuditService,
  ) {
    const purger = (table: string, store: Pick<Purger, 'purgeBefore'>): Purger => ({
      table,
      purgeBefore: (cutoff, options) => store.purgeBefore(cutoff, options),
    });
    this.dataTables = [
      purger('oanda_candles', candles),
      purger('volatility_metrics', metrics),
      purger('correlation_matrix', correlations),
      purger('best_pairs_tracker', bestPairs),
    ];
  }

  /** Cutoff of the data tables: `now` minus DATA_RETENTION_DAYS. */
  dataCutoff(now: Date): Date {
    return new Date(now.getTime() - this.config.retention.days * DAY_MS);
  }

  /** Cutoff of the audit table: `now` minus AUDIT_RETENTION_HOURS. */
  auditCutoff(now: Date): Date {
    return new Date(now.getTime() - this.config.retention.auditHours * HOUR_MS);
  }

  /**
   * Monthly partitions of candles and metrics for this month and the next
   * ones (from the real clock), and homes for rows found in their default
   * partitions. Returns the partitions created (in a dry run: that would be).
   */
  async maintainPartitions(options: { dryRun?: boolean } = {}): Promise<string[]> {
    const now = new Date();
    return [
      ...(await this.candles.maintainPartitions(now, options)),
      ...(await this.metrics.maintainPartitions(now, options)),
    ];
  }

  purgeData(options: RetentionOptions = {}): Promise<RetentionResult> {
    return this.purge(this.dataTables, this.dataCutoff(options.now ?? new Date()), options);
  }

  /**
   * The audit table is partitioned by hour: whole hours before the cutoff are
   * dropped, the hour holding it stays until wholly past (at most an hour
   * more than AUDIT_RETENTION_HOURS). See PriceAuditService.purgeBefore.
   */
  pruneAudit(options: RetentionOptions = {}): Promise<RetentionResult> {
    const audit: Purger = {
      table: 'real_time_prices_audit',
      purgeBefore: (cutoff, o) => this.audit.purgeBefore(cutoff, o),
    };
    return this.purge([audit], this.auditCutoff(options.now ?? new Date()), options);
  }

  private async purge(
    tables: readonly Purger[],
    cutoff: Date,
    options: RetentionOptions,
  ): Promise<RetentionResult> {
    const dryRun = options.dryRun ?? false;
    const { now: _now, ...purgeOptions } = options;
    const results: TableResult[] = [];
    let aborted: string | undefined;
    for (const table of tables) {
      if (options.signal?.aborted) {
        aborted = `aborted before ${table.table}: ${String((options.signal.reason as Error)?.message ?? options.signal.reason)}`;
        break;
      }
      results.push(await table.purgeBefore(cutoff, purgeOptions));
      if (options.signal?.aborted) {
        aborted = `aborted during ${table.table}`;
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
}
