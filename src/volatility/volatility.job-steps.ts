import { Injectable } from '@nestjs/common';
import { AppConfig } from '../platform/config';
import { JobStep, type JobOutcome, type StepContext } from '../platform/jobs';
import { VolatilityService } from './volatility.service';

/** Volatility's job steps (their order is in src/platform/config/job-definitions.ts). */
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
