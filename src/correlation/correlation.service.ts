import { Injectable, Logger } from '@nestjs/common';
import { CandleSeriesService } from '../candles/candle-series.service';
import { AppConfig } from '../config/app-config';
import type { JobOutcome } from '../jobs/runner/job.types';
import { EventPublisher } from '../streaming/event-publisher.service';
import { CHANNELS } from '../streaming/events';
import { calculationDay, type CalculationDay } from './calculation-day';
import { evaluateCorrelationAlert } from './correlation-alert';
import { CorrelationQueryService } from './correlation-query.service';
import { correlationKey, CorrelationStore, type CorrelationRow } from './correlation.store';
import { pairCorrelation, unorderedPairs } from './pearson';
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
 * in correlation_matrix; then alerts, cache and data_ready.
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

  async run(asOf: Date | undefined, now: Date, signal: AbortSignal): Promise<JobOutcome> {
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

    const previous = await this.store.previous(
      day.date,
      rows.filter((r) => r.correlation !== null),
    );
    const newestBefore = new Map<number, string | null>();
    for (const window of windows) newestBefore.set(window, await this.store.latestDate(window));
    const calculatedAt = new Date();
    const inserted = await this.store.upsert(day.date, rows, calculatedAt);

    const alerts = await this.publishAlerts(rows, previous, inserted, newestBefore, day);
    await this.query.refreshCache(windows);
    const stored = rows.filter((r) => r.correlation !== null).length;
    await this.events.dataReady('correlation', rows.length);

    const short = windows.filter((w) => instruments.length - leftOut[w].length < 2);
    this.logger.log(
      `correlation ${day.date}: ${rows.length} pairs over windows ${windows.join('/')}, ${alerts} alert(s)`,
    );
    return {
      status: short.length ? 'partial' : 'success',
      recordsProcessed: rows.length,
      errorMessage: short.length
        ? `fewer than two instruments with enough history for window(s) ${short.join(', ')}`
        : undefined,
      details: {
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
        alerts,
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
    for (const [pair1, pair2] of unorderedPairs(instruments)) {
      let result = pairCorrelation(loader.get(pair1), loader.get(pair2), window);
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

  /**
   * Alerts only for rows this run created on the newest calculation day of
   * their window: a rerun of the same day updates rows (no alert again), and
   * an --as-of run that rebuilds an older day does not alert about the past.
   */
  private async publishAlerts(
    rows: readonly CorrelationRow[],
    previous: Map<string, { correlation: number | null; date: string }>,
    inserted: Set<string>,
    newestBefore: Map<number, string | null>,
    day: CalculationDay,
  ): Promise<number> {
    const { correlationAlertChange: change, correlationAlertLevel: level } = this.config.analytics;
    let published = 0;
    for (const row of rows) {
      const k = correlationKey(row);
      const newest = newestBefore.get(row.window);
      if (row.correlation === null || !inserted.has(k) || (newest && newest > day.date)) continue;
      // Both alert rules compare with the previous calculation: without one there is nothing to say.
      const prev = previous.get(k);
      if (!prev || prev.correlation === null) continue;
      const label = `${row.pair1}/${row.pair2} (${row.window} h window)`;
      const decision = evaluateCorrelationAlert(label, row.correlation, prev.correlation, {
        change,
        level,
      });
      if (!decision) continue;
      await this.events.publish(CHANNELS.correlationAlerts, {
        pair1: row.pair1,
        pair2: row.pair2,
        correlation: row.correlation,
        previous: prev.correlation,
        threshold: decision.threshold,
        severity: decision.severity,
        message: `${decision.message} (${prev.date} -> ${day.date})`,
        timestamp: new Date().toISOString(),
      });
      published += 1;
    }
    return published;
  }
}
