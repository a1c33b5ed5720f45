import { Injectable, Logger } from '@nestjs/common';
import { AppCacheService } from '../cache';
import { CacheKeys } from '../cache';
import { CandleSeriesService, type MidSeries } from '../candles';
import { AppConfig } from '../platform/config';
import { withDbRetry } from '../platform/database';
import type { JobOutcome } from '../platform/jobs';
import { EventPublisher } from '../platform/pubsub';
import { metricFromColumns } from './dto/volatility-metric.dto';
import { computeMetrics, periodsPerYear } from './indicators';
import { VolatilityMetricsStore } from './volatility-metrics.store';

/** Metrics are kept for hourly candles; the table has no granularity column. */
export const METRICS_GRANULARITY = 'H1';

/**
 * History an hourly (`new`) run loads before the newest stored metrics row,
 * instead of the whole history: about 2,500 H1 bars. The longest memory of
 * DESIGN.md section 5 is the EMA-26 (MACD): a seed 2,500 bars back weighs
 * (25/27)^2500, far below float64 resolution, so the new rows equal a
 * full-history computation, while the hourly job stops growing with the years
 * kept (a rebuild, `all`, still reads everything).
 */
export const WARMUP_MS = 150 * 86_400_000;

/** `new`: candle times without a metrics row, normally those after the newest (the hourly step); `all`: the whole history (rebuild). */
export type ComputeMode = 'new' | 'all';

interface InstrumentResult {
  instrument: string;
  candles: number;
  written: number;
}

/**
 * Computes the indicators of DESIGN.md section 5 from the stored candles and
 * keeps `volatility_metrics` and the `metrics:<I>` cache up to date (the
 * volatility alerts are the alerts feature's built-in rules, judged in the
 * hourly job's `alerts` step on the rows stored here). A rebuild computes
 * over the instrument's full stored history; the hourly run over the last
 * WARMUP_MS of it, which gives the same values (EMA/Wilder smoothing forgets
 * a seed that old); both write only the rows asked for.
 */
@Injectable()
export class VolatilityService {
  private readonly logger = new Logger(VolatilityService.name);

  constructor(
    private readonly candles: CandleSeriesService,
    private readonly store: VolatilityMetricsStore,
    private readonly config: AppConfig,
    private readonly cache: AppCacheService,
    private readonly keys: CacheKeys,
    private readonly events: EventPublisher,
  ) {}

  /** Runs `mode` for each instrument; one failing instrument does not stop the others. */
  async run(
    instruments: readonly string[],
    mode: ComputeMode,
    signal: AbortSignal,
    dryRun = false,
  ): Promise<JobOutcome> {
    const results: InstrumentResult[] = [];
    const failed: Record<string, string> = {};
    for (const instrument of instruments) {
      if (signal.aborted) {
        failed[instrument] = 'not run (aborted)';
        continue;
      }
      try {
        // Reads, then an idempotent upsert of the rows still missing: after a dropped
        // connection (a PostgreSQL restart) the whole instrument is simply done again.
        const result = await withDbRetry(() => this.processInstrument(instrument, mode, dryRun), {
          what: `metrics ${instrument}`,
          signal,
          budgetMs: this.config.jobs.dbRetrySeconds * 1000,
          onRetry: ({ attempt, delayMs, error }) =>
            this.logger.warn(
              `metrics ${instrument}: database unavailable (${error.message}); retry ${attempt} in ${delayMs} ms`,
            ),
        });
        results.push(result);
      } catch (error) {
        failed[instrument] = (error as Error).message;
        this.logger.warn(`metrics for ${instrument} failed: ${(error as Error).message}`);
      }
    }
    const written = results.reduce((sum, r) => sum + r.written, 0);
    if (!dryRun) await this.events.dataReady('volatility', written);
    const failures = Object.keys(failed).length;
    return {
      status: failures === 0 ? 'success' : failures === instruments.length ? 'failed' : 'partial',
      recordsProcessed: written,
      errorMessage: failures
        ? Object.entries(failed)
            .map(([i, m]) => `${i}: ${m}`)
            .join('; ')
        : undefined,
      details: {
        ...(dryRun
          ? {
              dry_run: true,
              // Counted over the candles stored now: the sync step's dry run adds none.
              would_write: written,
            }
          : {}),
        mode,
        rows_written: dryRun ? 0 : written,
        instruments: Object.fromEntries(results.map((r) => [r.instrument, r.written])),
        without_candles: results.filter((r) => r.candles === 0).map((r) => r.instrument),
        ...(failures ? { failed } : {}),
      },
    };
  }

  /** With `dryRun`: everything computed, `written` is what the upsert would be given, nothing is stored, cached or published. */
  private async processInstrument(
    instrument: string,
    mode: ComputeMode,
    dryRun = false,
  ): Promise<InstrumentResult> {
    const tail = mode === 'new' ? await this.tailSeries(instrument) : null;
    const series =
      tail?.series ??
      (await this.candles.midSeries({ instrument, granularity: METRICS_GRANULARITY }));
    const n = series.times.length;
    if (n === 0) return { instrument, candles: 0, written: 0 };
    // Candles of the instrument in all, also when only a tail was loaded.
    const candleCount = tail ? tail.before + n - tail.from : n;
    const columns = computeMetrics(
      series,
      periodsPerYear(METRICS_GRANULARITY, this.config.analytics.hvPeriodsPerYear),
    );
    const from = tail
      ? tail.from
      : mode === 'new'
        ? await this.firstWithoutMetrics(instrument, series.times)
        : 0;
    const latest = metricFromColumns(instrument, series.times[n - 1], columns, n - 1);
    if (dryRun) {
      // Rows the upsert would be given (it skips unchanged ones, so this is an upper bound in `all` mode).
      return { instrument, candles: candleCount, written: n - from };
    }
    const { written } =
      from < n ? await this.store.upsert(instrument, series.times, columns, from) : { written: 0 };

    const { key, ttl } = this.keys.metrics(instrument);
    await this.cache.set(key, latest, ttl);
    return { instrument, candles: candleCount, written };
  }

  /**
   * The recent history an hourly run needs (see WARMUP_MS) when every stored
   * candle up to the newest metrics row has its row (one count each side
   * proves it); null when a hole in the past needs the full history (a sync
   * filled a gap), or when there are no metrics yet. `from` is the first
   * candle of the tail after the newest row; `before` the candles up to it.
   */
  private async tailSeries(
    instrument: string,
  ): Promise<{ series: MidSeries; from: number; before: number } | null> {
    const { count, newestMs } = await this.store.coverage(instrument);
    if (newestMs === null) return null;
    // Both counts come from summaries kept by triggers (constant cost at any history). An
    // incomplete candle up to the newest row (never left by the sync) only makes them differ,
    // which takes the full path: never a wrong tail.
    const before = await this.candles.countUpTo(
      instrument,
      METRICS_GRANULARITY,
      new Date(newestMs),
    );
    if (before !== count) return null;
    const series = await this.candles.midSeries({
      instrument,
      granularity: METRICS_GRANULARITY,
      from: new Date(newestMs - WARMUP_MS),
    });
    let from = 0;
    while (from < series.times.length && series.times[from] <= newestMs) from += 1;
    return { series, from, before };
  }

  /**
   * Index of the first candle that has no metrics row. Normally that is the
   * first candle after the newest row (one cheap count proves there are no
   * holes); when a sync filled a gap in the past it is that older candle, and
   * everything after it is rewritten too, because EMAs and Wilder averages
   * downstream of a new bar change (unchanged rows are skipped by the upsert).
   */
  private async firstWithoutMetrics(instrument: string, times: Float64Array): Promise<number> {
    const { count, newestMs } = await this.store.coverage(instrument);
    if (newestMs === null) return 0;
    let after = 0;
    while (after < times.length && times[after] <= newestMs) after += 1;
    if (count === after) return after;
    const stored = await this.store.times(instrument);
    let j = 0;
    for (let i = 0; i < times.length; i += 1) {
      while (j < stored.length && stored[j] < times[i]) j += 1;
      if (j === stored.length || stored[j] !== times[i]) return i;
    }
    return times.length;
  }
}
