import { Injectable } from '@nestjs/common';
import { JobStep, type JobOutcome, type StepContext } from '../platform/jobs';
import { CandleSyncService } from './candle-sync.service';

/** Ingestion's job steps (their order is in src/platform/config/job-definitions.ts). */
@Injectable()
export class IngestionJobSteps {
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
