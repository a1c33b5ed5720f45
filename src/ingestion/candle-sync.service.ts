import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../platform/config';
import { withDbRetry } from '../platform/database';
import type { JobOutcome } from '../jobs';
import type { ProviderCandle } from '../market-data';
import { MarketDataService } from '../market-data';
import { EventPublisher } from '../platform/pubsub';
import { CandleReader } from '../candles';
import { CandleStore, addCounts, emptyCounts, type UpsertCounts } from '../candles';
import type { Granularity } from '../platform/time';
import { historyWindowStart } from './history-window';
import { mapLimit } from './map-limit';

/** A late-completing candle is caught because every sync re-reads at least this much. */
export const SYNC_MIN_LOOKBACK_MS = 2 * 3_600_000;
const SYNC_GRANULARITY: Granularity = 'H1';
const STEP_MS = 3_600_000;

export interface SyncInstrumentResult extends UpsertCounts {
  status: 'ok' | 'failed';
  from: string;
  fetched: number;
  error?: string;
  /** Dry run: fetched candles whose time is not stored yet (they would be inserted). */
  would_insert?: number;
  /** Dry run: fetched candles already stored (rewritten only where the provider's values differ). */
  would_recheck?: number;
}

/**
 * The `sync` step of the hourly job: per tracked instrument, everything since
 * the last stored complete H1 candle (never less than the last two hours;
 * the whole retention window for an instrument with nothing stored yet, so a
 * newly tracked pair heals itself). One failing instrument does not stop the
 * others; the outcome is `partial` then.
 */
@Injectable()
export class CandleSyncService {
  private readonly logger = new Logger(CandleSyncService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly market: MarketDataService,
    private readonly store: CandleStore,
    private readonly reader: CandleReader,
    private readonly events: EventPublisher,
  ) {}

  async syncAll(params: {
    signal: AbortSignal;
    instruments?: readonly string[];
    now?: Date;
    /** Fetch and compare with what is stored, write nothing, publish nothing. */
    dryRun?: boolean;
  }): Promise<JobOutcome> {
    const dryRun = params.dryRun ?? false;
    const now = params.now ?? new Date();
    const instruments = params.instruments?.length
      ? params.instruments
      : this.config.market.instruments;
    const bounds = await this.retryDb('sync: reading stored bounds', params.signal, () =>
      this.reader.bounds(SYNC_GRANULARITY, instruments),
    );
    // Never further back than retention keeps (anything older would only be deleted again by
    // the next retention run); the same window start candles:gaps expects candles from.
    const retentionStart = historyWindowStart(
      now,
      this.config.retention.days,
      SYNC_GRANULARITY,
    ).getTime();
    const lookback = Math.floor((now.getTime() - SYNC_MIN_LOOKBACK_MS) / STEP_MS) * STEP_MS;
    const settled = await mapLimit(instruments, 4, async (instrument) => {
      const lastComplete = bounds.get(instrument)?.lastComplete?.getTime();
      const from = new Date(
        lastComplete === undefined
          ? retentionStart
          : Math.max(retentionStart, Math.min(lastComplete + STEP_MS, lookback)),
      );
      const result: SyncInstrumentResult = {
        status: 'ok',
        from: from.toISOString(),
        fetched: 0,
        ...emptyCounts(),
        ...(dryRun ? { would_insert: 0, would_recheck: 0 } : {}),
      };
      try {
        params.signal.throwIfAborted();
        const pages = this.market.fetchCandles({
          instrument,
          granularity: SYNC_GRANULARITY,
          from,
          to: params.now,
          signal: params.signal,
        });
        for await (const page of pages) {
          result.fetched += page.length;
          if (dryRun) {
            Object.assign(result, await this.compare(instrument, page, result));
            continue;
          }
          // A page is written in one statement or transaction: after a dropped connection it is
          // either all stored or not at all, and the upsert is idempotent, so it is simply written again.
          const counts = await this.retryDb(`sync ${instrument}`, params.signal, () =>
            this.store.upsert(page),
          );
          Object.assign(result, addCounts(result, counts));
        }
      } catch (error) {
        result.status = 'failed';
        result.error = (error as Error).message;
        this.logger.error(`sync ${instrument} failed: ${result.error}`);
      }
      return [instrument, result] as const;
    });
    const results: Record<string, SyncInstrumentResult> = Object.fromEntries(settled);

    const all = Object.values(results);
    const failed = Object.entries(results).filter(([, r]) => r.status === 'failed');
    const written = all.reduce((n, r) => n + r.inserted + r.updated, 0);
    if (!dryRun) await this.events.dataReady('candles', written);
    const wouldInsert = all.reduce((n, r) => n + (r.would_insert ?? 0), 0);
    return {
      status: failed.length === 0 ? 'success' : failed.length === all.length ? 'failed' : 'partial',
      recordsProcessed: written,
      errorMessage: failed.length
        ? failed.map(([i, r]) => `${i}: ${r.error}`).join('; ')
        : undefined,
      details: {
        ...(dryRun
          ? {
              dry_run: true,
              would_insert: wouldInsert,
              would_recheck: all.reduce((n, r) => n + (r.would_recheck ?? 0), 0),
            }
          : {}),
        provider: this.market.providerName,
        granularity: SYNC_GRANULARITY,
        instruments: results,
      },
    };
  }

  /** Database work lost to a dropped connection (a PostgreSQL restart) is retried for JOB_DB_RETRY_SECONDS. */
  private retryDb<T>(what: string, signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    return withDbRetry(work, {
      what,
      signal,
      budgetMs: this.config.jobs.dbRetrySeconds * 1000,
      onRetry: ({ attempt, delayMs, error }) =>
        this.logger.warn(
          `${what}: database unavailable (${error.message}); retry ${attempt} in ${delayMs} ms`,
        ),
    });
  }

  /** Dry run: how many of a fetched page are new and how many already stored (reads only). */
  private async compare(
    instrument: string,
    page: readonly ProviderCandle[],
    so: SyncInstrumentResult,
  ): Promise<Pick<SyncInstrumentResult, 'would_insert' | 'would_recheck'>> {
    if (page.length === 0) return {};
    const times = page.map((c) => c.time.getTime());
    const stored = await this.reader.storedTimes({
      instrument,
      granularity: SYNC_GRANULARITY,
      from: new Date(Math.min(...times)),
      to: new Date(Math.max(...times) + 1),
      completeOnly: false,
    });
    const known = times.filter((t) => stored.has(t)).length;
    return {
      would_insert: (so.would_insert ?? 0) + times.length - known,
      would_recheck: (so.would_recheck ?? 0) + known,
    };
  }
}
