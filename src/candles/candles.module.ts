import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Candle } from './candle.entity';
import { CandleSeriesService } from './candle-series.service';

@Module({
  imports: [TypeOrmModule.forFeature([Candle])],
  providers: [CandleSeriesService],
  exports: [CandleSeriesService],
})
export class CandlesModule {}
