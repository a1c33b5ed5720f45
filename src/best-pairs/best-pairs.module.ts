import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CorrelationModule } from '../correlation';
import { BestPair } from './best-pair.entity';
import { BestPairsController } from './best-pairs.controller';
import { BestPairsQueryService } from './best-pairs-query.service';
import { BestPairsRegistrations } from './best-pairs-registrations';
import { BestPairsService } from './best-pairs.service';
import { BestPairsStore } from './best-pairs.store';
import { CacheModule } from '../cache';

@Module({
  imports: [CacheModule, TypeOrmModule.forFeature([BestPair]), CorrelationModule],
  controllers: [BestPairsController],
  providers: [BestPairsStore, BestPairsService, BestPairsQueryService, BestPairsRegistrations],
  exports: [BestPairsQueryService],
})
export class BestPairsModule {}
