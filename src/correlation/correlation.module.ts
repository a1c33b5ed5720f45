import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CandlesModule } from '../candles';
import { CorrelationController } from './correlation.controller';
import { Correlation } from './correlation.entity';
import { CorrelationQueryService } from './correlation-query.service';
import { CorrelationJobSteps } from './correlation.job-steps';
import { CorrelationRegistrations } from './correlation-registrations';
import { CorrelationService } from './correlation.service';
import { CorrelationStore } from './correlation.store';
import { CacheModule } from '../cache';

@Module({
  imports: [CacheModule, TypeOrmModule.forFeature([Correlation]), CandlesModule],
  controllers: [CorrelationController],
  providers: [
    CorrelationStore,
    CorrelationService,
    CorrelationQueryService,
    CorrelationRegistrations,
    CorrelationJobSteps,
  ],
  exports: [CorrelationStore, CorrelationQueryService, CorrelationService],
})
export class CorrelationModule {}
