import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobRegistry } from '../jobs/runner/job-registry.service';
import { CorrelationService } from './correlation.service';

/** The `correlation` step of the daily-correlation job (best-pairs follows at order 20). */
@Injectable()
export class CorrelationRegistrations implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly correlation: CorrelationService,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      job: 'daily-correlation',
      name: 'correlation',
      order: 10,
      // startedAt, not "now": both steps must agree on the calculation day even across midnight.
      run: (ctx) => this.correlation.run(ctx.options.asOf, ctx.startedAt, ctx.signal),
    });
  }
}
