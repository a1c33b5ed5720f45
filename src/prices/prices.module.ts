import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PriceAudit } from './price-audit.entity';

@Module({
  imports: [TypeOrmModule.forFeature([PriceAudit])],
  providers: [],
  exports: [],
})
export class PricesModule {}
