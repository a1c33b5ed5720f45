import { createKeyv } from '@keyv/redis';
import { CacheModule as NestCacheModule } from '@nestjs/cache-manager';
import Keyv from 'keyv';
import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppCacheService } from './app-cache.service';
import { CacheController } from './cache.controller';
import { CacheKeys } from './cache-keys';
import { CACHE_REDIS_CLIENT, CacheRedisModule } from '../platform/redis';
import { CacheStatsService } from './cache-stats.service';
import { CacheWarmers } from './cache-warmers';
import { withTimeout } from '../platform/time';
import { connectRedis, createRedisClient, REDIS_CLIENT, type RedisClient } from '../platform/redis';
import { AppConfig } from '../platform/config';

/**
 * The Redis connection (node-redis, the one Redis library of the app) and the
 * cache built on it: @nestjs/cache-manager + cache-manager v7 with Keyv's
 * @keyv/redis store (cache-manager-redis-yet only works with cache-manager v5).
 * The cache store has its own connection so a burst of cache traffic never
 * queues behind pub/sub publishes or stats scans on the main one.
 */
@Global()
@Module({
  imports: [
    CacheRedisModule,
    NestCacheModule.registerAsync({
      imports: [CacheRedisModule],
      inject: [CACHE_REDIS_CLIENT],
      useFactory: (client: RedisClient | null) => ({
        stores: [
          // createKeyv sets no namespace, so keys are literal (`price:EUR_USD`); CacheKeys adds the configured prefix.
          // Without REDIS_URL: a plain Keyv, cache-manager's default in-memory store (one instance only).
          client ? createKeyv(client) : new Keyv(),
        ],
      }),
    }),
  ],
  controllers: [CacheController],
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [AppConfig],
      // null without REDIS_URL: pub/sub is then in-process (PubSubModule) and the cache in memory.
      useFactory: async (config: AppConfig): Promise<RedisClient | null> => {
        if (!config.redis.url) return null;
        const client = createRedisClient(config.redis.url, 'main');
        await connectRedis(client);
        return client;
      },
    },
    CacheKeys,
    AppCacheService,
    CacheStatsService,
    CacheWarmers,
  ],
  exports: [REDIS_CLIENT, CacheKeys, AppCacheService, CacheWarmers, CacheStatsService],
})
export class CacheModule implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient | null,
    @Inject(CACHE_REDIS_CLIENT) private readonly cacheRedis: RedisClient | null,
  ) {}

  /** After every module's own shutdown work (which may still publish or cache), close both connections. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([close(this.redis), close(this.cacheRedis)]);
  }
}

async function close(client: RedisClient | null): Promise<void> {
  if (!client?.isOpen) return;
  // close() waits for Redis to answer; while it is unreachable that would hang shutdown, so destroy instead.
  if (!client.isReady) return client.destroy();
  await withTimeout(client.close(), 2_000, 'Redis close').catch(() => client.destroy());
}
