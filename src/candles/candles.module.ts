import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BackfillHooks } from './backfill-hooks.service';
import { Candle } from './candle.entity';
import { CandleSeriesService } from './candle-series.service';

@Module({
  imports: [TypeOrmModule.forFeature([Candle])],
  providers: [CandleSeriesService, BackfillHooks],
  exports: [CandleSeriesService, BackfillHooks],
})
export class CandlesModule {}
