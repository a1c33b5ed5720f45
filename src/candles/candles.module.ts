import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MarketDataModule } from '../market-data/market-data.module';
import { BackfillHooks } from './backfill-hooks.service';
import { BackfillService } from './backfill.service';
import { Candle } from './candle.entity';
import { CandleGapsService } from './candle-gaps.service';
import { CandleReader } from './candle-reader.service';
import { CandleSeriesService } from './candle-series.service';
import { CandleStore } from './candle-store.service';
import { CandleSyncService } from './candle-sync.service';
import { CandlesController } from './candles.controller';
import { CandlesJobSteps } from './candles.job-steps';
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
    CandlesJobSteps,
  ],
  exports: [
    CandleSeriesService,
    BackfillHooks,
    BackfillService,
    CandleSyncService,
    CandleGapsService,
  ],
})
export class CandlesModule {}
