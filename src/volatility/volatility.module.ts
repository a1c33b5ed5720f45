import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { VolatilityMetric } from './volatility-metric.entity';

@Module({
  imports: [TypeOrmModule.forFeature([VolatilityMetric])],
  providers: [],
  exports: [],
})
export class VolatilityModule {}
