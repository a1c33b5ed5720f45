import { Module, OnModuleInit } from '@nestjs/common';
import { CandlesModule } from '../candles';
import { JobRegistry } from '../jobs';
import { MarketDataModule } from '../market-data';
import { BackfillHooks } from './backfill-hooks.service';
import { BackfillService } from './backfill.service';
import { CandleGapsService } from './candle-gaps.service';
import { CandleSyncService } from './candle-sync.service';

/**
 * Candles in from the provider: the hourly sync step, the backfill and the
 * gap finder. Writes go through the candles module's store.
 */
@Module({
  imports: [CandlesModule, MarketDataModule],
  providers: [BackfillHooks, CandleGapsService, BackfillService, CandleSyncService],
  exports: [BackfillHooks, BackfillService, CandleSyncService, CandleGapsService],
})
export class IngestionModule implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly sync: CandleSyncService,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      job: 'hourly',
      name: 'sync',
      order: 10,
      run: (ctx) =>
        this.sync.syncAll({
          signal: ctx.signal,
          instruments: ctx.options.instruments,
          dryRun: ctx.options.dryRun,
        }),
    });
  }
}
