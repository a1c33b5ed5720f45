import { Injectable, Logger } from '@nestjs/common';
import { CandleSeriesService } from '../candles';
import { AppConfig } from '../platform/config';
import type { JobOutcome } from '../platform/jobs';
import { EventPublisher } from '../platform/pubsub';
import { CHANNELS, type CorrelationAlertEvent } from '../platform/pubsub';
import { calculationDay, type CalculationDay } from './calculation-day';
import {
  evaluateCorrelationAlert,
  inCooldown,
  onePerPair,
  type CorrelationAlertDecision,
} from './correlation-alert';
import { CorrelationAlertCooldown } from './correlation-alert-cooldown';
import { CorrelationQueryService } from './correlation-query.service';
import { correlationKey, CorrelationStore, type CorrelationRow } from './correlation.store';
import { pairCorrelation, unorderedPairs } from './pearson';
import { groupTails, returnTail, tailCorrelation, type ReturnTail } from './return-tails';
import { SeriesLoader } from './series-loader';
import { HOUR_MS } from '../platform/time';

/** An instrument whose newest candle is older than this before the cutoff is stale and left out. */
const STALE_AFTER_MS = 7 * 86_400_000;

/**
 * The cooldown's clock: the start of the calculation day, not the wall clock,
 * so a daily run a few seconds earlier than yesterday's is still a day later,
 * and runs replayed with --as-of are judged by the days they stand for.
 */
const alertClock = (day: CalculationDay): number => Date.parse(`${day.date}T00:00:00Z`);

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
    private readonly cooldown: CorrelationAlertCooldown,
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
   * The step. With `dryRun` it computes the same rows and alert decisions but
   * writes nothing: no upsert, no alert, no cooldown mark, no cache refresh,
   * no data_ready; the outcome says how many rows it would insert and update.
   */
  async run(
    asOf: Date | undefined,
    now: Date,
    signal: AbortSignal,
    dryRun = false,
  ): Promise<JobOutcome> {
    const { day, windows, rows, leftOut } = await this.compute(asOf, now, signal);
    const instruments = this.config.market.instruments;

    const previous = await this.store.previous(
      day.date,
      rows.filter((r) => r.correlation !== null),
    );
    const newestBefore = new Map<number, string | null>();
    for (const window of windows) newestBefore.set(window, await this.store.latestDate(window));
    let inserted: Set<string>;
    if (dryRun) {
      const existing = await this.store.keysOn(day.date);
      inserted = new Set(rows.map(correlationKey).filter((k) => !existing.has(k)));
    } else {
      inserted = await this.store.upsert(day.date, rows, new Date());
    }

    const alerts = await this.decideAlerts(rows, previous, inserted, newestBefore, day);
    if (!dryRun) {
      await this.publishAlerts(alerts, day);
      await this.query.refreshCache(windows);
      await this.events.dataReady('correlation', rows.length);
    }
    const stored = rows.filter((r) => r.correlation !== null).length;

    const short = windows.filter((w) => instruments.length - leftOut[w].length < 2);
    this.logger.log(
      `correlation ${day.date}: ${rows.length} pairs over windows ${windows.join('/')}, ` +
        `${alerts.length} alert(s)${dryRun ? ' (dry run: nothing stored or published)' : ''}`,
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
              would_alert: alerts.length,
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
        alerts: alerts.length,
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

  /**
   * Alerts only for rows this run created on the newest calculation day of
   * their window: a rerun of the same day updates rows (no alert again), and
   * an --as-of run that rebuilds an older day does not alert about the past.
   * Crossings are judged with hysteresis against the last value clearly on
   * one side of each line; then one alert per pair (its most severe window),
   * and none for a pair still in its cooldown. Reads only.
   */
  private async decideAlerts(
    rows: readonly CorrelationRow[],
    previous: Map<string, { correlation: number | null; date: string }>,
    inserted: Set<string>,
    newestBefore: Map<number, string | null>,
    day: CalculationDay,
  ): Promise<CorrelationAlertEvent[]> {
    const {
      correlationAlertChange: change,
      correlationAlertLevel: level,
      correlationAlertHysteresis: hysteresis,
      correlationAlertCooldownHours: cooldownHours,
    } = this.config.analytics;
    const candidates = rows.filter((row) => {
      const newest = newestBefore.get(row.window);
      // Both alert rules compare with the previous calculation: without one there is nothing to say.
      return (
        row.correlation !== null &&
        inserted.has(correlationKey(row)) &&
        !(newest && newest > day.date) &&
        (previous.get(correlationKey(row))?.correlation ?? null) !== null
      );
    });
    const references = await this.store.lastOutsideBands(day.date, candidates, level, hysteresis);
    const decided: Array<{
      pair1: string;
      pair2: string;
      row: CorrelationRow;
      prev: { correlation: number; date: string };
      decision: CorrelationAlertDecision;
    }> = [];
    for (const row of candidates) {
      const k = correlationKey(row);
      const prev = previous.get(k) as { correlation: number; date: string };
      const label = `${row.pair1}/${row.pair2} (${row.window} h window)`;
      const decision = evaluateCorrelationAlert(
        label,
        row.correlation as number,
        prev.correlation,
        { change, level, hysteresis },
        references.get(k),
      );
      if (decision) decided.push({ pair1: row.pair1, pair2: row.pair2, row, prev, decision });
    }
    const perPair = onePerPair(decided);
    const last = await this.cooldown.lastAlerts(perPair);
    const at = alertClock(day);
    return perPair
      .filter(
        (d) => !inCooldown(last.get(`${d.pair1}|${d.pair2}`) ?? null, at, cooldownHours * HOUR_MS),
      )
      .map(({ row, prev, decision }) => ({
        pair1: row.pair1,
        pair2: row.pair2,
        correlation: row.correlation as number,
        previous: prev.correlation,
        threshold: decision.threshold,
        severity: decision.severity,
        message: `${decision.message} (${prev.date} -> ${day.date})`,
        timestamp: new Date().toISOString(),
      }));
  }

  private async publishAlerts(
    alerts: readonly CorrelationAlertEvent[],
    day: CalculationDay,
  ): Promise<void> {
    for (const alert of alerts) {
      if (await this.events.publish(CHANNELS.correlationAlerts, alert))
        await this.cooldown.mark(alert.pair1, alert.pair2, alertClock(day));
    }
  }
}
