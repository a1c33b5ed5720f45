import { Injectable, Logger } from '@nestjs/common';
import { JobRunner } from '../jobs';
import type { JobOutcome, JobRunResult } from '../jobs';
import { MarketDataService } from '../market-data';
import { EventPublisher } from '../platform/pubsub';
import { BackfillHooks } from './backfill-hooks.service';
import { planRange, planResume, windowStart, type InstrumentPlan } from './backfill-plan';
import { CandleGapsService } from './candle-gaps.service';
import { CandleReader } from '../candles';
import { CandleStore, addCounts, emptyCounts, type UpsertCounts } from '../candles';
import { missingCount, type CandleGap } from './gap-finder';
import { hasUtcGrid, type Granularity } from '../platform/time';
import { mapLimit } from './map-limit';

export interface BackfillRequest {
  instruments: readonly string[];
  granularity: Granularity;
  /** Resume mode window: how far back to start when nothing is stored. */
  days: number;
  /** Range mode: fill the holes in [from, to). Both or neither. */
  from?: Date;
  to?: Date;
  concurrency?: number;
  /** Run the registered BackfillHooks (metrics rebuild) afterwards. */
  withHooks?: boolean;
  timeoutSeconds?: number;
  progress?: BackfillProgress;
  /** Fixed clock for tests. */
  now?: Date;
}

/** Callbacks for the CLI's bars / lines. */
export interface BackfillProgress {
  start(instrument: string, plan: InstrumentPlan): void;
  advance(instrument: string, candles: number, lastTime: Date | null): void;
  finish(result: InstrumentBackfillResult): void;
}

export interface InstrumentBackfillResult extends UpsertCounts {
  instrument: string;
  status: 'ok' | 'failed';
  /** Candles the provider returned. */
  fetched: number;
  /** fetchCandles calls and pages received (a page is one provider request for OANDA). */
  fetches: number;
  pages: number;
  /** Ranges fetched because they were missing. */
  holesPlanned: number;
  /** Oldest / newest candle received in this run. */
  first: Date | null;
  last: Date | null;
  /** Holes left in the window after the run (the provider had nothing there); null when unknowable. */
  gaps: CandleGap[] | null;
  seconds: number;
  error?: string;
}

export interface BackfillRun {
  job: JobRunResult;
  results: InstrumentBackfillResult[];
  hooks: Record<string, { recordsProcessed: number; error?: string }>;
}

/**
 * The resumable backfill behind `npm run cli -- backfill` (and bench:ingest):
 * plans per instrument what is missing, fetches only that from the provider
 * facade, stores each page as it arrives, a few instruments at a time.
 */
@Injectable()
export class BackfillService {
  private readonly logger = new Logger(BackfillService.name);

  constructor(
    private readonly market: MarketDataService,
    private readonly store: CandleStore,
    private readonly reader: CandleReader,
    private readonly gapsService: CandleGapsService,
    private readonly runner: JobRunner,
    private readonly hooks: BackfillHooks,
    private readonly events: EventPublisher,
  ) {}

  async run(request: BackfillRequest): Promise<BackfillRun> {
    let results: InstrumentBackfillResult[] = [];
    const hookResults: BackfillRun['hooks'] = {};
    const job = await this.runner.run(
      'backfill',
      async ({ signal }): Promise<JobOutcome> => {
        results = await this.backfillAll(request, signal);
        const ok = results.filter((r) => r.status === 'ok');
        const written = ok.reduce((n, r) => n + r.inserted + r.updated, 0);
        await this.events.dataReady('candles', written);
        let hookFailed = false;
        if (request.withHooks) {
          for (const hook of this.hooks.list()) {
            try {
              const r = await hook.run({
                instruments: ok.map((x) => x.instrument),
                granularity: request.granularity,
                signal,
              });
              hookResults[hook.name] = { recordsProcessed: r.recordsProcessed };
            } catch (error) {
              hookFailed = true;
              hookResults[hook.name] = { recordsProcessed: 0, error: (error as Error).message };
            }
          }
        }
        const failed = results.filter((r) => r.status === 'failed');
        return {
          status:
            failed.length === results.length && results.length > 0
              ? 'failed'
              : failed.length > 0 || hookFailed
                ? 'partial'
                : 'success',
          recordsProcessed: written,
          errorMessage: failed.length
            ? failed.map((r) => `${r.instrument}: ${r.error}`).join('; ')
            : undefined,
          details: {
            provider: this.market.providerName,
            granularity: request.granularity,
            mode: request.from ? 'range' : 'resume',
            ...(request.from
              ? { from: request.from.toISOString(), to: request.to?.toISOString() }
              : { days: request.days }),
            instruments: Object.fromEntries(results.map((r) => [r.instrument, resultDetails(r)])),
            ...(request.withHooks ? { hooks: hookResults } : {}),
          },
        };
      },
      { timeoutSeconds: request.timeoutSeconds },
    );
    return { job, results, hooks: hookResults };
  }

  /** Every instrument, `concurrency` at a time; one failing never stops the others. */
  async backfillAll(
    request: BackfillRequest,
    signal: AbortSignal,
  ): Promise<InstrumentBackfillResult[]> {
    const now = request.now ?? new Date();
    const bounds = request.from
      ? undefined
      : await this.reader.bounds(request.granularity, request.instruments);
    return mapLimit(request.instruments, request.concurrency ?? 4, async (instrument) => {
      const started = Date.now();
      const result: InstrumentBackfillResult = {
        instrument,
        status: 'ok',
        ...emptyCounts(),
        fetched: 0,
        fetches: 0,
        pages: 0,
        holesPlanned: 0,
        first: null,
        last: null,
        gaps: null,
        seconds: 0,
      };
      try {
        const plan = await this.plan(instrument, request, now, bounds?.get(instrument));
        result.holesPlanned = plan.ranges.length;
        request.progress?.start(instrument, plan);
        await this.fetchAndStore(instrument, request, plan, result, signal);
        result.gaps = await this.remainingGaps(instrument, request, now);
      } catch (error) {
        result.status = 'failed';
        result.error = (error as Error).message;
        this.logger.error(`backfill ${instrument} failed: ${result.error}`);
      }
      result.seconds = (Date.now() - started) / 1000;
      request.progress?.finish(result);
      return result;
    });
  }

  private async plan(
    instrument: string,
    request: BackfillRequest,
    now: Date,
    bounds: Parameters<typeof planResume>[0]['bounds'],
  ): Promise<InstrumentPlan> {
    const { granularity } = request;
    if (!request.from || !request.to)
      return planResume({ granularity, now, days: request.days, bounds });
    const gaps = hasUtcGrid(granularity)
      ? await this.gapsService.find({
          instrument,
          granularity,
          from: request.from,
          to: request.to,
          now,
        })
      : undefined;
    return planRange({ granularity, now, from: request.from, to: request.to, gaps });
  }

  private async fetchAndStore(
    instrument: string,
    request: BackfillRequest,
    plan: InstrumentPlan,
    result: InstrumentBackfillResult,
    signal: AbortSignal,
  ): Promise<void> {
    for (const range of plan.ranges) {
      result.fetches += 1;
      const pages = this.market.fetchCandles({
        instrument,
        granularity: request.granularity,
        from: range.from,
        // Open-ended ranges run to the provider's now; a fixed clock (tests) bounds them too.
        to: range.to ?? request.now,
        signal,
      });
      for await (const page of pages) {
        signal.throwIfAborted();
        result.pages += 1;
        if (page.length === 0) continue;
        result.fetched += page.length;
        Object.assign(result, addCounts(result, await this.store.upsert(page)));
        const first = page[0].time;
        const last = page[page.length - 1].time;
        if (!result.first || first < result.first) result.first = first;
        if (!result.last || last > result.last) result.last = last;
        request.progress?.advance(instrument, page.length, last);
      }
    }
  }

  /** Holes left in the run's window; null for granularities without a known grid. */
  private async remainingGaps(
    instrument: string,
    request: BackfillRequest,
    now: Date,
  ): Promise<CandleGap[] | null> {
    if (!hasUtcGrid(request.granularity)) return null;
    const from = request.from ?? windowStart(now, request.days, request.granularity);
    const to = request.to ?? now;
    return this.gapsService.find({ instrument, granularity: request.granularity, from, to, now });
  }
}

function resultDetails(r: InstrumentBackfillResult): Record<string, unknown> {
  return {
    status: r.status,
    fetched: r.fetched,
    inserted: r.inserted,
    updated: r.updated,
    unchanged: r.unchanged,
    fetches: r.fetches,
    pages: r.pages,
    holes_planned: r.holesPlanned,
    first: r.first?.toISOString() ?? null,
    last: r.last?.toISOString() ?? null,
    gaps_left: r.gaps?.length ?? null,
    missing_candles: r.gaps ? missingCount(r.gaps) : null,
    seconds: r.seconds,
    ...(r.error ? { error: r.error } : {}),
  };
}
