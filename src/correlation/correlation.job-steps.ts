import { Injectable } from '@nestjs/common';
import { JobStep, type JobOutcome, type StepContext } from '../platform/jobs';
import { CorrelationService } from './correlation.service';

/** Correlation's job steps (their order is in src/platform/config/job-definitions.ts). */
@Injectable()
export class CorrelationJobSteps {
  constructor(private readonly correlation: CorrelationService) {}

  @JobStep('daily-correlation', 'correlation')
  matrix(ctx: StepContext): Promise<JobOutcome> {
    // startedAt, not "now": this step and best-pairs must agree on the calculation day even across midnight.
    return this.correlation.run(ctx.options.asOf, ctx.startedAt, ctx.signal, ctx.options.dryRun);
  }
}
