import { Module } from '@nestjs/common';
import { CandlesModule } from '../candles';
import { MarketDataModule } from '../market-data';
import { BackfillHooks } from './backfill-hooks.service';
import { BackfillService } from './backfill.service';
import { CandleGapsService } from './candle-gaps.service';
import { CandleSyncService } from './candle-sync.service';
import { IngestionJobSteps } from './ingestion.job-steps';

/**
 * Candles in from the provider: the hourly sync step, the backfill and the
 * gap finder. Writes go through the candles module's store.
 */
@Module({
  imports: [CandlesModule, MarketDataModule],
  providers: [
    BackfillHooks,
    CandleGapsService,
    BackfillService,
    CandleSyncService,
    IngestionJobSteps,
  ],
  exports: [BackfillHooks, BackfillService, CandleSyncService, CandleGapsService],
})
export class IngestionModule {}
