import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CandlesModule } from '../candles';
import { IngestionModule } from '../ingestion';
import { VolatilityController } from './volatility.controller';
import { VolatilityMetric } from './volatility-metric.entity';
import { VolatilityMetricsStore } from './volatility-metrics.store';
import { VolatilityQueryService } from './volatility-query.service';
import { VolatilityRegistrations } from './volatility-registrations';
import { VolatilityService } from './volatility.service';
import { CacheModule } from '../cache';

@Module({
  imports: [
    CacheModule,
    TypeOrmModule.forFeature([VolatilityMetric]),
    CandlesModule,
    IngestionModule,
  ],
  controllers: [VolatilityController],
  providers: [
    VolatilityMetricsStore,
    VolatilityService,
    VolatilityQueryService,
    VolatilityRegistrations,
  ],
  exports: [VolatilityService, VolatilityQueryService],
})
export class VolatilityModule {}
