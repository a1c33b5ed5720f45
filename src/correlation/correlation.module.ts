import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Correlation } from './correlation.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Correlation])],
  providers: [],
  exports: [],
})
export class CorrelationModule {}
