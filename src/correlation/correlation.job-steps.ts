import { Injectable } from '@nestjs/common';
import { JobStep } from '../platform/jobs/job-step.decorator';
import type { StepContext } from '../platform/jobs/job-registry.service';
import type { JobOutcome } from '../platform/jobs/job.types';
import { CorrelationService } from './correlation.service';

/** Correlation's job steps (their order is in src/jobs/job-definitions.ts). */
@Injectable()
export class CorrelationJobSteps {
  constructor(private readonly correlation: CorrelationService) {}

  @JobStep('daily-correlation', 'correlation')
  matrix(ctx: StepContext): Promise<JobOutcome> {
    // startedAt, not "now": this step and best-pairs must agree on the calculation day even across midnight.
    return this.correlation.run(ctx.options.asOf, ctx.startedAt, ctx.signal, ctx.options.dryRun);
  }
}
