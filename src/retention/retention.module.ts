import { Module } from '@nestjs/common';
import { RetentionService } from './retention.service';
import { RetentionSteps } from './retention.steps';

/** The `retention` and `audit-prune` jobs' steps: old rows of every table go, by the stores' rules. */
@Module({
  providers: [RetentionService, RetentionSteps],
  exports: [RetentionService],
})
export class RetentionModule {}
