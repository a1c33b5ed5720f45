import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CacheWarmers } from '../cache';
import { MarketDataModule } from '../market-data';
import { CandlesModule } from '../candles';
import { PriceAudit } from './price-audit.entity';
import { PriceAuditService } from './price-audit.store';
import { PriceSocketRequests } from './price-socket-requests';
import { PriceStreamService } from './price-stream.service';
import { PriceTickHooks } from './price-tick-hooks';
import { StreamingModule } from '../streaming';
import { PricesController } from './prices.controller';
import { PricesService } from './prices.service';
import { CacheModule } from '../cache';

/**
 * Live prices: the leader-only stream (cache + audit + publish), current
 * prices over REST, and the audit trail's pruning for the retention job.
 */
@Module({
  imports: [
    CacheModule,
    TypeOrmModule.forFeature([PriceAudit]),
    MarketDataModule,
    StreamingModule,
    CandlesModule,
  ],
  controllers: [PricesController],
  providers: [
    PricesService,
    PriceAuditService,
    PriceStreamService,
    PriceSocketRequests,
    PriceTickHooks,
  ],
  exports: [PricesService, PriceStreamService, PriceAuditService, PriceTickHooks],
})
export class PricesModule implements OnModuleInit {
  constructor(
    private readonly warmers: CacheWarmers,
    private readonly prices: PricesService,
  ) {}

  onModuleInit(): void {
    this.warmers.register({ name: 'price', warm: () => this.prices.warmFromCandles() });
  }
}
