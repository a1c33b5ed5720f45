import { Injectable, OnModuleInit } from '@nestjs/common';
import { CacheWarmers } from '../cache';
import { JobRegistry } from '../jobs';
import { BestPairsQueryService } from './best-pairs-query.service';
import { BestPairsService } from './best-pairs.service';

/** The `best-pairs` step of the daily-correlation job, after `correlation` (order 10), and its cache warmer. */
@Injectable()
export class BestPairsRegistrations implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly bestPairs: BestPairsService,
    private readonly query: BestPairsQueryService,
    private readonly warmers: CacheWarmers,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      job: 'daily-correlation',
      name: 'best-pairs',
      order: 20,
      run: (ctx) =>
        this.bestPairs.run(
          ctx.options.asOf,
          ctx.startedAt,
          ctx.previous['correlation']?.status === 'failed',
          ctx.options.dryRun,
          ctx.signal,
        ),
    });
    this.warmers.register({ name: 'best_pairs', warm: () => this.query.refreshCache() });
  }
}
