import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobRegistry } from '../jobs/runner/job-registry.service';
import { MarketDataModule } from '../market-data/market-data.module';
import { BackfillHooks } from '../ingestion/backfill-hooks.service';
import { BackfillService } from '../ingestion/backfill.service';
import { Candle } from './candle.entity';
import { CandleGapsService } from '../ingestion/candle-gaps.service';
import { CandleReader } from './candle-reader.store';
import { CandleSeriesService } from './candle-series.store';
import { CandleStore } from './candle.store';
import { CandleSyncService } from '../ingestion/candle-sync.service';
import { CandlesController } from './candles.controller';
import { CandlesService } from './candles.service';
import { InstrumentsController } from './instruments.controller';

@Module({
  imports: [TypeOrmModule.forFeature([Candle]), MarketDataModule],
  controllers: [CandlesController, InstrumentsController],
  providers: [
    CandleSeriesService,
    BackfillHooks,
    CandleStore,
    CandleReader,
    CandleGapsService,
    CandlesService,
    BackfillService,
    CandleSyncService,
  ],
  exports: [
    CandleSeriesService,
    BackfillHooks,
    BackfillService,
    CandleSyncService,
    CandleGapsService,
  ],
})
export class CandlesModule implements OnModuleInit {
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
