import { Injectable } from '@nestjs/common';
import { JobStep, type JobOutcome, type StepContext } from '../platform/jobs';
import { BestPairsService } from './best-pairs.service';

/** Best pairs' job steps (their order is in src/platform/config/job-definitions.ts). */
@Injectable()
export class BestPairsJobSteps {
  constructor(private readonly bestPairs: BestPairsService) {}

  /** Runs after `correlation`; told whether that step failed, so it does not rank a stale matrix as today's. */
  @JobStep('daily-correlation', 'best-pairs')
  rank(ctx: StepContext): Promise<JobOutcome> {
    return this.bestPairs.run(
      ctx.options.asOf,
      ctx.startedAt,
      ctx.previous['correlation']?.status === 'failed',
      ctx.options.dryRun,
      ctx.signal,
    );
  }
}
