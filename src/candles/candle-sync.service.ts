import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { withDbRetry } from '../database/db-retry';
import type { JobOutcome } from '../jobs/runner/job.types';
import { MarketDataService } from '../market-data/market-data.service';
import { EventPublisher } from '../streaming/event-publisher.service';
import { CandleReader } from './candle-reader.service';
import { CandleStore, addCounts, emptyCounts, type UpsertCounts } from './candle-store.service';
import type { Granularity } from './granularity';
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
  }): Promise<JobOutcome> {
    const now = params.now ?? new Date();
    const instruments = params.instruments?.length
      ? params.instruments
      : this.config.market.instruments;
    const bounds = await this.retryDb('sync: reading stored bounds', params.signal, () =>
      this.reader.bounds(SYNC_GRANULARITY, instruments),
    );
    // Never further back than retention keeps, rounded up to a whole candle: anything
    // older would only be deleted again by the next retention run.
    const retentionStart =
      Math.ceil((now.getTime() - this.config.retention.days * 86_400_000) / STEP_MS) * STEP_MS;
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
    await this.events.dataReady('candles', written);
    return {
      status: failed.length === 0 ? 'success' : failed.length === all.length ? 'failed' : 'partial',
      recordsProcessed: written,
      errorMessage: failed.length
        ? failed.map(([i, r]) => `${i}: ${r.error}`).join('; ')
        : undefined,
      details: {
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
}
