import { Global, Module } from '@nestjs/common';
import { REDIS_CLIENT, type RedisClient } from '../redis';
import { AppConfig } from '../config';
import { EventPublisher } from './event-publisher.service';
import { InProcessPubSub } from './in-process-pubsub';
import { PUBSUB, type PubSub } from './pubsub';
import { RedisPubSub } from './redis-pubsub';

/**
 * The publisher, global so jobs and the price stream can publish without
 * importing the gateway, and the one place the transport is chosen: Redis
 * when REDIS_URL is set, in-process otherwise.
 */
@Global()
@Module({
  providers: [
    {
      provide: PUBSUB,
      inject: [AppConfig, REDIS_CLIENT],
      useFactory: (config: AppConfig, redis: RedisClient | null): PubSub =>
        config.redis.url && redis
          ? new RedisPubSub(redis, config.redis.url)
          : new InProcessPubSub(),
    },
    EventPublisher,
  ],
  exports: [EventPublisher, PUBSUB],
})
export class PubSubModule {}
