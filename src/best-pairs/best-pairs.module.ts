import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BestPair } from './best-pair.entity';

@Module({
  imports: [TypeOrmModule.forFeature([BestPair])],
  providers: [],
  exports: [],
})
export class BestPairsModule {}
