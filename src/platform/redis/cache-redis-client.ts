import { Module } from '@nestjs/common';
import { AppConfig } from '../config';
import { connectRedis, createRedisClient, type RedisClient } from './redis-client';

/** The Redis connection the cache store (Keyv) talks through; null without REDIS_URL (in-memory store). */
export const CACHE_REDIS_CLIENT = Symbol('CACHE_REDIS_CLIENT');

/**
 * Its own small module so that both the cache-manager registration (which
 * builds the Keyv store from it) and AppCacheService (which checks it is ready
 * before every operation, to fail fast while Redis is down) can inject the same
 * client, and CacheModule can close it on shutdown.
 */
@Module({
  providers: [
    {
      provide: CACHE_REDIS_CLIENT,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<RedisClient | null> => {
        if (!config.redis.url) return null;
        const client = createRedisClient(config.redis.url, 'cache');
        await connectRedis(client);
        return client;
      },
    },
  ],
  exports: [CACHE_REDIS_CLIENT],
})
export class CacheRedisModule {}
