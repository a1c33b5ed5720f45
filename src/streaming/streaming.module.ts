import { Module } from '@nestjs/common';
import { PricesModule } from '../prices/prices.module';
import { MarketGateway } from './market.gateway';
import { RedisSubscriber } from './redis-subscriber.service';

/**
 * Socket.IO for this instance: the gateway (connections, rooms, typed emits)
 * and the Redis subscriber that feeds it. The publisher is in PubSubModule
 * (global) so publishers never depend on the gateway.
 */
@Module({
  imports: [PricesModule],
  providers: [MarketGateway, RedisSubscriber],
  exports: [MarketGateway, RedisSubscriber],
})
export class StreamingModule {}
