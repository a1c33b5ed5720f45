import { Injectable, Logger } from '@nestjs/common';
import { CandleSeriesService } from '../candles';
import { AppConfig } from '../platform/config';
import type { JobOutcome } from '../platform/jobs';
import { EventPublisher } from '../platform/pubsub';
import { calculationDay, type CalculationDay } from './calculation-day';
import { CorrelationQueryService } from './correlation-query.service';
import { correlationKey, CorrelationStore, type CorrelationRow } from './correlation.store';
import { pairCorrelation, unorderedPairs } from './pearson';
import { groupTails, returnTail, tailCorrelation, type ReturnTail } from './return-tails';
import { SeriesLoader } from './series-loader';

/** An instrument whose newest candle is older than this before the cutoff is stale and left out. */
const STALE_AFTER_MS = 7 * 86_400_000;

export interface LeftOut {
  instrument: string;
  candles: number;
  reason: string;
}

/**
 * The daily correlation step: Pearson correlation of hourly log returns on
 * common timestamps for every unordered pair of tracked instruments and every
 * configured window, as of the end of a UTC day (or now), stored idempotently
 * in correlation_matrix; then cache and data_ready. The correlation alerts
 * are the alerts feature's built-in rules, judged in the job's `alerts` step
 * on the rows stored here.
 */
@Injectable()
export class CorrelationService {
  private readonly logger = new Logger(CorrelationService.name);

  constructor(
    private readonly candles: CandleSeriesService,
    private readonly store: CorrelationStore,
    private readonly query: CorrelationQueryService,
    private readonly config: AppConfig,
    private readonly events: EventPublisher,
  ) {}

  /**
   * Computes every pair of every window as of the calculation day, without
   * storing anything (the dry run and best-pairs' dry run use it as it is).
   */
  async compute(
    asOf: Date | undefined,
    now: Date,
    signal: AbortSignal,
  ): Promise<{
    day: CalculationDay;
    windows: number[];
    rows: CorrelationRow[];
    leftOut: Record<number, LeftOut[]>;
  }> {
    const day = calculationDay(asOf, now);
    const instruments = [...this.config.market.instruments];
    const windows = [...this.config.analytics.correlationWindows].sort((a, b) => a - b);
    const maxWindow = windows[windows.length - 1];

    const loader = new SeriesLoader(this.candles, day.cutoff, maxWindow);
    await loader.loadRecent(instruments, maxWindow + 1);
    signal.throwIfAborted();

    const rows: CorrelationRow[] = [];
    const leftOut: Record<number, LeftOut[]> = {};
    for (const window of windows) {
      const { eligible, excluded } = this.eligible(instruments, loader, day, window);
      leftOut[window] = excluded;
      rows.push(...(await this.correlateWindow(eligible, loader, window)));
      signal.throwIfAborted();
    }
    return { day, windows, rows, leftOut };
  }

  /**
   * The step. With `dryRun` it computes the same rows but writes nothing: no
   * upsert, no cache refresh, no data_ready; the outcome says how many rows
   * it would insert and update.
   */
  async run(
    asOf: Date | undefined,
    now: Date,
    signal: AbortSignal,
    dryRun = false,
  ): Promise<JobOutcome> {
    const { day, windows, rows, leftOut } = await this.compute(asOf, now, signal);
    const instruments = this.config.market.instruments;

    let inserted: Set<string>;
    if (dryRun) {
      const existing = await this.store.keysOn(day.date);
      inserted = new Set(rows.map(correlationKey).filter((k) => !existing.has(k)));
    } else {
      inserted = await this.store.upsert(day.date, rows, new Date());
    }

    if (!dryRun) {
      await this.query.refreshCache(windows);
      await this.events.dataReady('correlation', rows.length);
    }
    const stored = rows.filter((r) => r.correlation !== null).length;

    const short = windows.filter((w) => instruments.length - leftOut[w].length < 2);
    this.logger.log(
      `correlation ${day.date}: ${rows.length} pairs over windows ${windows.join('/')}, ` +
        `${inserted.size} new${dryRun ? ' (dry run: nothing stored or published)' : ''}`,
    );
    return {
      status: short.length ? 'partial' : 'success',
      recordsProcessed: rows.length,
      errorMessage: short.length
        ? `fewer than two instruments with enough history for window(s) ${short.join(', ')}`
        : undefined,
      details: {
        ...(dryRun
          ? {
              dry_run: true,
              would_insert: inserted.size,
              would_update: rows.length - inserted.size,
            }
          : {}),
        date: day.date,
        cutoff: day.cutoff.toISOString(),
        windows: Object.fromEntries(
          windows.map((w) => [
            w,
            {
              pairs: rows.filter((r) => r.window === w).length,
              without_value: rows.filter((r) => r.window === w && r.correlation === null).length,
            },
          ]),
        ),
        rows_with_value: stored,
        left_out: Object.fromEntries(windows.map((w) => [w, leftOut[w]])),
      },
    };
  }

  /** Instruments with at least W + 1 candles and a candle in the last week before the cutoff. */
  private eligible(
    instruments: readonly string[],
    loader: SeriesLoader,
    day: CalculationDay,
    window: number,
  ): { eligible: string[]; excluded: LeftOut[] } {
    const eligible: string[] = [];
    const excluded: LeftOut[] = [];
    for (const instrument of instruments) {
      const { times } = loader.get(instrument);
      const n = times.length;
      if (n < window + 1) {
        excluded.push({
          instrument,
          candles: n,
          reason: `${n} candle(s) up to ${day.cutoff.toISOString()}, needs ${window + 1}`,
        });
      } else if (day.cutoff.getTime() - times[n - 1] > STALE_AFTER_MS) {
        excluded.push({
          instrument,
          candles: n,
          reason: `stale: newest candle ${new Date(times[n - 1]).toISOString()} is over 7 days before the cutoff`,
        });
      } else {
        eligible.push(instrument);
      }
    }
    return { eligible, excluded };
  }

  private async correlateWindow(
    instruments: readonly string[],
    loader: SeriesLoader,
    window: number,
  ): Promise<CorrelationRow[]> {
    const rows: CorrelationRow[] = [];
    // Each eligible instrument's last W returns, once: pairs whose last W + 1 times agree need no walk.
    const tails = new Map<string, ReturnTail>();
    for (const instrument of instruments) {
      const tail = returnTail(loader.get(instrument), window);
      if (tail) tails.set(instrument, tail);
    }
    groupTails(tails.values());
    for (const [pair1, pair2] of unorderedPairs(instruments)) {
      const tail1 = tails.get(pair1);
      const tail2 = tails.get(pair2);
      let result =
        tail1 && tail2 && tail1.group === tail2.group
          ? { correlation: tailCorrelation(tail1, tail2), sampleSize: window }
          : pairCorrelation(loader.get(pair1), loader.get(pair2), window);
      // Short inside the recent lookback: the older history may still hold enough common times.
      if (result.sampleSize < window && !(loader.isComplete(pair1) && loader.isComplete(pair2))) {
        await loader.loadFullAll([pair1, pair2]);
        result = pairCorrelation(loader.get(pair1), loader.get(pair2), window);
      }
      rows.push({
        pair1,
        pair2,
        window,
        correlation: Number.isFinite(result.correlation) ? result.correlation : null,
        sampleSize: result.sampleSize,
      });
    }
    return rows;
  }
}
