import { Module } from '@nestjs/common';
import { RetentionService } from './retention.service';
import { RetentionJobSteps } from './retention.job-steps';

/** The `retention` and `audit-prune` jobs' steps: old rows of every table go, by the stores' rules. */
@Module({
  providers: [RetentionService, RetentionJobSteps],
  exports: [RetentionService],
})
export class RetentionModule {}
