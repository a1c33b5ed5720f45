import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Candle } from './candle.entity';
import { CandleReader } from './candle-reader.store';
import { CandleSeriesService } from './candle-series.store';
import { CandleStore } from './candle.store';
import { CandlesController } from './candles.controller';
import { CandlesService } from './candles.service';
import { InstrumentsController } from './instruments.controller';

/** The candles table (its stores: the only code that touches it) and the candles and instruments API. */
@Module({
  imports: [TypeOrmModule.forFeature([Candle])],
  controllers: [CandlesController, InstrumentsController],
  providers: [CandleSeriesService, CandleStore, CandleReader, CandlesService],
  exports: [CandleSeriesService, CandleStore, CandleReader],
})
export class CandlesModule {}
