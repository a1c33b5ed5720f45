import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobRegistry } from '../jobs/runner/job-registry.service';
import { BestPairsService } from './best-pairs.service';

/** The `best-pairs` step of the daily-correlation job, after `correlation` (order 10). */
@Injectable()
export class BestPairsRegistrations implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly bestPairs: BestPairsService,
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
        ),
    });
  }
}
