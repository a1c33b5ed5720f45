import { Module } from '@nestjs/common';
import { AuthModule } from '../auth';
import { MarketGateway } from './market.gateway';
import { RedisSubscriber } from './redis-subscriber.service';
import { SocketRequests } from './socket-requests';

/**
 * Socket.IO for this instance: the gateway (connections, rooms, typed emits)
 * and the Redis subscriber that feeds it. The publisher is in PubSubModule
 * (global) so publishers never depend on the gateway. Features answer
 * their request events through SocketRequests (prices: request_price).
 */
@Module({
  // SocketAuthService: which key a socket belongs to (its alert room).
  imports: [AuthModule],
  providers: [MarketGateway, RedisSubscriber, SocketRequests],
  exports: [MarketGateway, RedisSubscriber, SocketRequests],
})
export class StreamingModule {}
