import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../platform/config';
import { calculationDay } from '../correlation';
import { CorrelationQueryService } from '../correlation';
import { CorrelationService } from '../correlation';
import type { JobOutcome } from '../jobs';
import { EventPublisher } from '../platform/pubsub';
import { BestPairsQueryService } from './best-pairs-query.service';
import { BestPairsStore } from './best-pairs.store';
import { BEST_PAIR_CATEGORIES } from '../correlation';
import { rankBestPairs } from './rank';

/**
 * The best-pairs step of the daily job: categorises and ranks the day's
 * correlations (as stored by the correlation step) per window and replaces
 * that day+window in best_pairs_tracker.
 */
@Injectable()
export class BestPairsService {
  private readonly logger = new Logger(BestPairsService.name);

  constructor(
    private readonly correlations: CorrelationQueryService,
    private readonly correlation: CorrelationService,
    private readonly store: BestPairsStore,
    private readonly query: BestPairsQueryService,
    private readonly config: AppConfig,
    private readonly events: EventPublisher,
  ) {}

  /**
   * With `dryRun` nothing is written: the day's correlations are computed
   * afresh (the correlation step's dry run stored none), ranked, and the
   * outcome says how many rows would be replaced by how many.
   */
  async run(
    asOf: Date | undefined,
    now: Date,
    correlationFailed: boolean,
    dryRun = false,
    signal: AbortSignal = new AbortController().signal,
  ): Promise<JobOutcome> {
    const { date } = calculationDay(asOf, now);
    if (correlationFailed) {
      return {
        status: 'failed',
        recordsProcessed: 0,
        errorMessage: `correlation step failed, best pairs for ${date} left as they were`,
      };
    }
    const t = this.config.analytics;
    const thresholds = {
      negative: t.negativeThreshold,
      uncorrelated: t.uncorrelatedThreshold,
      high: t.highThreshold,
    };
    const calculatedAt = new Date();
    const perWindow: Record<number, Record<string, number>> = {};
    let total = 0;
    let replaced = 0;
    const computed = dryRun ? (await this.correlation.compute(asOf, now, signal)).rows : null;
    for (const window of t.correlationWindows) {
      const rows = computed
        ? computed.filter((r) => r.window === window && r.correlation !== null)
        : await this.correlations.correlationsOn(date, window);
      const ranked = rankBestPairs(
        rows.map((r) => ({ pair1: r.pair1, pair2: r.pair2, correlation: r.correlation as number })),
        thresholds,
        window,
      );
      if (dryRun) {
        const existing = await this.store.totals(date, window);
        replaced += Object.values(existing).reduce((n, c) => n + (c ?? 0), 0);
        total += ranked.length;
      } else {
        total += await this.store.replace(date, window, ranked, calculatedAt);
      }
      perWindow[window] = Object.fromEntries(
        BEST_PAIR_CATEGORIES.map((c) => [c, ranked.filter((r) => r.category === c).length]),
      );
    }
    if (!dryRun) {
      await this.query.refreshCache();
      await this.events.dataReady('best_pairs', total);
    }
    this.logger.log(
      `best pairs ${date}: ${total} ranked pairs${dryRun ? ' (dry run: nothing stored)' : ''}`,
    );
    return {
      status: total > 0 ? 'success' : 'partial',
      recordsProcessed: total,
      errorMessage: total > 0 ? undefined : `no correlations with a value stored for ${date}`,
      details: {
        ...(dryRun ? { dry_run: true, would_delete: replaced, would_insert: total } : {}),
        date,
        categories: perWindow,
      },
    };
  }
}
