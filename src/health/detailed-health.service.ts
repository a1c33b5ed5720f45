import { Injectable } from '@nestjs/common';
import { CandleSeriesService } from '../candles';
import { isMarketOpen } from '../platform/time';
import { AppConfig } from '../platform/config';
import { JobsService } from '../jobs';
import { PriceStreamService } from '../prices';
import { assessFreshness, FreshnessReport } from './data-freshness';
import { DependencyCheck, HealthService } from './health.service';
import { PrometheusService } from '../platform/observability';

export type OverallStatus = 'ok' | 'degraded' | 'down';

export interface SchedulerJobHealth {
  name: string;
  enabled: boolean;
  scheduled: boolean;
  schedule: string;
  next_run: string;
  running: boolean;
  last_run: {
    status: string;
    start_time: string;
    end_time: string | null;
    duration_seconds: number | null;
    error_message: string | null;
  } | null;
  last_success: string | null;
}

export interface LiveStreamHealth {
  enabled: boolean;
  leader: boolean;
  connected: boolean;
  provider: string;
  last_tick_at: string | null;
  /** Seconds since the last tick of any instrument on this instance; null before the first. */
  last_tick_age_seconds: number | null;
  ticks_received: number;
}

/** A part of the report that could not be produced (timeout, database down). */
export interface SectionError {
  error: string;
}

export interface DetailedHealth {
  status: OverallStatus;
  /** Why the status is not `ok`. */
  reasons: string[];
  timestamp: string;
  version: string;
  instance_id: string;
  /** `embedded` unless both DATABASE_URL and REDIS_URL are set (DESIGN.md section 10). */
  mode: 'embedded' | 'external';
  /** What `mode` is made of: the embedded PostgreSQL or DATABASE_URL's, in-process pub/sub or Redis. */
  backends: { database: 'embedded' | 'external'; pubsub: 'in-process' | 'redis' };
  uptime_seconds: number;
  checks: { database: DependencyCheck; redis: DependencyCheck };
  scheduler: { enabled: boolean; jobs: SchedulerJobHealth[] } | SectionError;
  live_stream: LiveStreamHealth;
  data_freshness: FreshnessReport | SectionError;
  socket_clients: number;
}

/** Every section answers within this, so the report never hangs on a dead dependency. */
const SECTION_TIMEOUT_MS = 2_000;

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms).unref(),
    ),
  ]);

const isError = (v: object): v is SectionError => 'error' in v;

/**
 * The full picture for operators (GET /api/v1/health/detailed). /health stays
 * the cheap readiness probe; this one reads the job log, candle times and the
 * live stream, each section bounded by a timeout.
 */
@Injectable()
export class DetailedHealthService {
  private readonly startedAt = Date.now();

  constructor(
    private readonly config: AppConfig,
    private readonly health: HealthService,
    private readonly jobs: JobsService,
    private readonly candles: CandleSeriesService,
    private readonly priceStream: PriceStreamService,
    private readonly metrics: PrometheusService,
  ) {}

  async report(now = new Date()): Promise<DetailedHealth> {
    const [database, redis, scheduler, freshness] = await Promise.all([
      this.health.checkDatabase(),
      this.health.checkRedis(),
      this.section(() => this.scheduler(now), 'scheduler'),
      this.section(() => this.freshness(now), 'data freshness'),
    ]);
    const liveStream = this.liveStream(now);
    const reasons: string[] = [];
    if (redis.status === 'down') reasons.push(`redis down: ${redis.error ?? 'unreachable'}`);
    if (isError(scheduler)) reasons.push(scheduler.error);
    else {
      for (const job of scheduler.jobs) {
        if (job.last_run?.status === 'failed') reasons.push(`job ${job.name}: last run failed`);
      }
    }
    if (isError(freshness)) reasons.push(freshness.error);
    else {
      if (freshness.stale.length) reasons.push(`stale candles: ${freshness.stale.join(', ')}`);
      if (freshness.missing.length) reasons.push(`no candles yet: ${freshness.missing.join(', ')}`);
    }
    if (liveStream.enabled && liveStream.leader && !liveStream.connected)
      reasons.push('price stream leader is not connected to the provider');
    let status: OverallStatus = reasons.length ? 'degraded' : 'ok';
    if (database.status === 'down') {
      status = 'down';
      reasons.unshift(`database down: ${database.error ?? 'unreachable'}`);
    }
    return {
      status,
      reasons,
      timestamp: now.toISOString(),
      version: this.config.app.version,
      instance_id: this.config.app.instanceId,
      mode: this.config.mode,
      backends: {
        database: this.config.database.url ? 'external' : 'embedded',
        pubsub: this.config.redis.url ? 'redis' : 'in-process',
      },
      uptime_seconds: Math.round((now.getTime() - this.startedAt) / 1000),
      checks: { database, redis },
      scheduler,
      live_stream: liveStream,
      data_freshness: freshness,
      socket_clients: this.metrics.socketClientCount(),
    };
  }

  private async section<T extends object>(
    build: () => Promise<T>,
    what: string,
  ): Promise<T | SectionError> {
    try {
      return await withTimeout(build(), SECTION_TIMEOUT_MS, what);
    } catch (error) {
      return { error: `${what}: ${(error as Error).message}` };
    }
  }

  private async scheduler(now: Date): Promise<{ enabled: boolean; jobs: SchedulerJobHealth[] }> {
    const summaries = await this.jobs.summaries(now);
    return {
      enabled: this.config.jobs.schedulerEnabled,
      jobs: summaries.map((s) => ({
        name: s.name,
        enabled: s.enabled,
        scheduled: s.scheduled,
        schedule: s.cron,
        next_run: s.nextRun.toISOString(),
        running: s.runningHere,
        last_run: s.lastRun
          ? {
              status: s.lastRun.status,
              start_time: s.lastRun.startTime.toISOString(),
              end_time: s.lastRun.endTime?.toISOString() ?? null,
              duration_seconds: s.lastRun.durationSeconds,
              error_message: s.lastRun.errorMessage,
            }
          : null,
        last_success: s.lastSuccess?.startTime.toISOString() ?? null,
      })),
    };
  }

  private async freshness(now: Date): Promise<FreshnessReport> {
    const lastComplete = await this.candles.latestCompleteTimes('H1');
    return assessFreshness({
      now: now.getTime(),
      instruments: this.config.market.instruments,
      lastComplete,
      isMarketOpen,
    });
  }

  private liveStream(now: Date): LiveStreamHealth {
    const s = this.priceStream.status();
    return {
      enabled: s.enabled,
      leader: s.leader,
      connected: s.connected,
      provider: s.provider,
      last_tick_at: s.last_tick_at,
      last_tick_age_seconds: s.last_tick_at
        ? Math.round((now.getTime() - Date.parse(s.last_tick_at)) / 1000)
        : null,
      ticks_received: s.ticks_received,
    };
  }
}
