import { Injectable, OnModuleInit } from '@nestjs/common';
import { CacheWarmers } from '../cache';
import { BackfillHooks } from '../ingestion';
import { AppConfig } from '../platform/config';
import { JobRegistry } from '../jobs';
import { VolatilityQueryService } from './volatility-query.service';
import { METRICS_GRANULARITY, VolatilityService } from './volatility.service';

/**
 * Plugs the metrics work into the shared machinery: the `metrics` step of the
 * hourly job (after candles' `sync`, order 10) and the `metrics` backfill hook
 * (`backfill --with-metrics` rebuilds the backfilled instruments), and the
 * `metrics` cache warmer (`cache:warm`).
 */
@Injectable()
export class VolatilityRegistrations implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly hooks: BackfillHooks,
    private readonly volatility: VolatilityService,
    private readonly query: VolatilityQueryService,
    private readonly warmers: CacheWarmers,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      job: 'hourly',
      name: 'metrics',
      order: 20,
      run: (ctx) =>
        this.volatility.run(
          ctx.options.instruments ?? this.config.market.instruments,
          'new',
          ctx.signal,
          ctx.options.dryRun,
        ),
    });
    this.hooks.register({
      name: 'metrics',
      run: async ({ instruments, granularity, signal }) => {
        // Metrics are hourly only; a backfill of other candles leaves them as they are.
        if (granularity !== METRICS_GRANULARITY) return { recordsProcessed: 0 };
        const outcome = await this.volatility.run(instruments, 'all', signal);
        if (outcome.status === 'failed')
          throw new Error(outcome.errorMessage ?? 'metrics rebuild failed');
        return { recordsProcessed: outcome.recordsProcessed };
      },
    });
    this.warmers.register({ name: 'metrics', warm: () => this.query.warmCache() });
  }
}
