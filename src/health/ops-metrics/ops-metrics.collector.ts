import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { CandleSeriesService } from '../../candles';
import { isMarketOpen } from '../../platform/time';
import { AppConfig, JOB_NAMES } from '../../platform/config';
import { PriceStreamService } from '../../prices';
import { assessFreshness } from '../data-freshness';
import { HealthService } from '../health.service';
import { PrometheusService } from '../../platform/observability';
import { freshnessSamples, type FreshnessSample } from './freshness-samples';
import { readTableSizes, type TableSize } from './table-sizes';
import { TtlCache } from './ttl-cache';

/** The newest candle only changes once an hour; a scrape every 15 s need not ask each time. */
export const FRESHNESS_CACHE_MS = 15_000;
/** Table sizes walk pg_class and every partition: once a minute is plenty for a size graph. */
export const TABLE_SIZE_CACHE_MS = 60_000;

/** Well inside Prometheus' default 10 s scrape timeout, so a hung database never stalls a scrape. */
const QUERY_TIMEOUT_MS = 2_000;

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref(),
    ),
  ]);

/**
 * Gauges computed when Prometheus scrapes (prom-client `collect`), for what
 * the operators' dashboard and alert rules need beyond the event counters:
 * data freshness per instrument, market open, the stream leader, dependency
 * reachability and table sizes. The database reads are cached briefly, and a
 * failing read leaves its gauge empty instead of failing the whole scrape
 * (`dependency_up` says why).
 */
@Injectable()
export class OpsMetricsCollector implements OnModuleInit {
  private readonly logger = new Logger(OpsMetricsCollector.name);
  private readonly lastComplete: TtlCache<Map<string, Date>>;
  private readonly tableSizes: TtlCache<TableSize[]>;

  constructor(
    private readonly metrics: PrometheusService,
    private readonly config: AppConfig,
    private readonly health: HealthService,
    private readonly candles: CandleSeriesService,
    private readonly priceStream: PriceStreamService,
    dataSource: DataSource,
  ) {
    this.lastComplete = new TtlCache(FRESHNESS_CACHE_MS, () =>
      withTimeout(this.candles.latestCompleteTimes('H1'), QUERY_TIMEOUT_MS),
    );
    this.tableSizes = new TtlCache(TABLE_SIZE_CACHE_MS, () =>
      withTimeout(readTableSizes(dataSource), QUERY_TIMEOUT_MS),
    );
  }

  onModuleInit(): void {
    this.zeroJobRuns();
    const registers = [this.metrics.registry];
    const freshness = new Gauge({
      name: 'data_freshness_seconds',
      help: 'How far the newest complete H1 candle lags behind the newest one the market should have produced (0 = up to date, weekends excluded; +Inf = no candle)',
      labelNames: ['instrument'] as const,
      registers,
      collect: async () => {
        freshness.reset();
        for (const s of (await this.freshness()) ?? [])
          freshness.set({ instrument: s.instrument }, s.lagSeconds);
      },
    });
    const lastCandle = new Gauge({
      name: 'candle_last_complete_timestamp_seconds',
      help: 'Open time of the newest complete H1 candle per instrument, Unix seconds',
      labelNames: ['instrument'] as const,
      registers,
      collect: async () => {
        lastCandle.reset();
        for (const s of (await this.freshness()) ?? [])
          if (s.lastCandleSeconds !== null)
            lastCandle.set({ instrument: s.instrument }, s.lastCandleSeconds);
      },
    });
    const flag = (name: string, help: string, read: () => boolean): void => {
      const gauge: Gauge = new Gauge({
        name,
        help,
        registers,
        collect: (): void => gauge.set(read() ? 1 : 0),
      });
    };
    flag(
      'market_open',
      '1 while the FX market is open (Sunday 22:00 to Friday 22:00 UTC, the service trading calendar), else 0',
      () => isMarketOpen(Date.now()),
    );
    flag(
      'stream_enabled',
      '1 when this instance takes part in the price-stream leader election (PRICE_STREAM_ENABLED)',
      () => this.priceStream.status().enabled,
    );
    flag(
      'stream_leader',
      '1 on the instance holding the provider price stream (leader lock), else 0; the sum over instances must be 1',
      () => this.priceStream.status().leader,
    );
    flag(
      'stream_connected',
      '1 when this instance is the leader and its provider stream is connected',
      () => this.priceStream.status().connected,
    );
    const dependencyUp = new Gauge({
      name: 'dependency_up',
      help: '1 when the dependency answered its readiness check during this scrape (2 s timeout), else 0',
      labelNames: ['dependency'] as const,
      registers,
      collect: async () => {
        const [postgres, redis] = await Promise.all([
          this.health.checkDatabase(),
          this.health.checkRedis(),
        ]);
        dependencyUp.set({ dependency: 'postgres' }, postgres.status === 'up' ? 1 : 0);
        dependencyUp.set({ dependency: 'redis' }, redis.status === 'up' ? 1 : 0);
      },
    });
    const tableSize = new Gauge({
      name: 'db_table_size_bytes',
      help: 'Table size including indexes and TOAST, partitions summed under their parent table (cached 60 s)',
      labelNames: ['table'] as const,
      registers,
      collect: async () => {
        tableSize.reset();
        try {
          for (const t of await this.tableSizes.get()) tableSize.set({ table: t.table }, t.bytes);
        } catch (error) {
          this.logger.warn(`table sizes not collected: ${(error as Error).message}`);
        }
      },
    });
  }

  /**
   * Every job x outcome series exists from boot at 0. Prometheus' increase()
   * cannot see the first increment of a series that appears with value 1, so
   * without this the first failure of a job would never trip FxJobFailed.
   */
  private zeroJobRuns(): void {
    const runs = this.metrics.registry.getSingleMetric('job_runs_total');
    if (!(runs instanceof Counter)) return;
    for (const job of JOB_NAMES)
      for (const status of ['success', 'partial', 'failed', 'skipped'])
        runs.inc({ job, status }, 0);
  }

  /** Both freshness gauges collect in parallel; the cache makes that one query. Null when it failed. */
  private async freshness(): Promise<FreshnessSample[] | null> {
    let times: Map<string, Date>;
    try {
      times = await this.lastComplete.get();
    } catch (error) {
      this.logger.warn(`data freshness not collected: ${(error as Error).message}`);
      return null;
    }
    const report = assessFreshness({
      now: Date.now(),
      instruments: this.config.market.instruments,
      lastComplete: times,
      isMarketOpen,
    });
    return freshnessSamples(report);
  }
}
