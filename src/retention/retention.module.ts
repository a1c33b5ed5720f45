import { Module } from '@nestjs/common';
import { BestPairsModule } from '../best-pairs';
import { CandlesModule } from '../candles';
import { CorrelationModule } from '../correlation';
import { PricesModule } from '../prices';
import { VolatilityModule } from '../volatility';
import { RetentionService } from './retention.service';
import { RetentionJobSteps } from './retention.job-steps';

/** The `retention` and `audit-prune` jobs' steps: old rows of every table go, by the stores' rules. */
@Module({
  // The stores purge their own tables; retention only decides cutoffs and order.
  imports: [CandlesModule, VolatilityModule, CorrelationModule, BestPairsModule, PricesModule],
  providers: [RetentionService, RetentionJobSteps],
  exports: [RetentionService],
})
export class RetentionModule {}
