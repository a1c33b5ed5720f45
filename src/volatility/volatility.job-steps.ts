import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JobStep } from '../platform/jobs/job-step.decorator';
import type { StepContext } from '../platform/jobs/job-registry.service';
import type { JobOutcome } from '../platform/jobs/job.types';
import { VolatilityService } from './volatility.service';

/** Volatility's job steps (their order is in src/jobs/job-definitions.ts). */
@Injectable()
export class VolatilityJobSteps {
  constructor(
    private readonly volatility: VolatilityService,
    private readonly config: AppConfig,
  ) {}

  /** Metrics of the candles the `sync` step just stored. */
  @JobStep('hourly', 'metrics')
  metrics(ctx: StepContext): Promise<JobOutcome> {
    return this.volatility.run(
      ctx.options.instruments ?? this.config.market.instruments,
      'new',
      ctx.signal,
      ctx.options.dryRun,
    );
  }
}
