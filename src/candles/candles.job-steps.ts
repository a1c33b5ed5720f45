import { Injectable } from '@nestjs/common';
import { JobStep } from '../platform/jobs/job-step.decorator';
import type { StepContext } from '../platform/jobs/job-registry.service';
import type { JobOutcome } from '../platform/jobs/job.types';
import { CandleSyncService } from './candle-sync.service';

/** Candles' job steps (their order is in src/jobs/job-definitions.ts). */
@Injectable()
export class CandlesJobSteps {
  constructor(private readonly sync: CandleSyncService) {}

  @JobStep('hourly', 'sync')
  syncLatest(ctx: StepContext): Promise<JobOutcome> {
    return this.sync.syncAll({
      signal: ctx.signal,
      instruments: ctx.options.instruments,
      dryRun: ctx.options.dryRun,
    });
  }
}
