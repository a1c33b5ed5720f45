import { Injectable, OnModuleInit } from '@nestjs/common';
import { CacheWarmers } from '../cache';
import { JobRegistry } from '../jobs';
import { CorrelationQueryService } from './correlation-query.service';
import { CorrelationService } from './correlation.service';

/** The `correlation` step of the daily-correlation job (best-pairs follows at order 20) and its cache warmer. */
@Injectable()
export class CorrelationRegistrations implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly correlation: CorrelationService,
    private readonly query: CorrelationQueryService,
    private readonly warmers: CacheWarmers,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      job: 'daily-correlation',
      name: 'correlation',
      order: 10,
      // startedAt, not "now": both steps must agree on the calculation day even across midnight.
      run: (ctx) =>
        this.correlation.run(ctx.options.asOf, ctx.startedAt, ctx.signal, ctx.options.dryRun),
    });
    this.warmers.register({ name: 'correlation_matrix', warm: () => this.query.refreshCache() });
  }
}
