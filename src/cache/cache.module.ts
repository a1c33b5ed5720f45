import { createKeyv } from '@keyv/redis';
import { CacheModule as NestCacheModule } from '@nestjs/cache-manager';
import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AppCacheService } from './app-cache.service';
import { CacheKeys } from './cache-keys';
import { connectRedis, createRedisClient, REDIS_CLIENT, type RedisClient } from './redis-client';

/**
 * The Redis connection (node-redis, the one Redis library of the app) and the
 * cache built on it: @nestjs/cache-manager + cache-manager v7 with Keyv's
 * @keyv/redis store, sharing the same client.
 */
@Global()
@Module({
  imports: [
    NestCacheModule.registerAsync({
      extraProviders: [
        {
          provide: 'CACHE_REDIS_CLIENT',
          inject: [AppConfig],
          useFactory: async (config: AppConfig) => {
            const client = createRedisClient(config.redis.url, 'cache');
            await connectRedis(client);
            return client;
          },
        },
      ],
      inject: ['CACHE_REDIS_CLIENT'],
      useFactory: (client: RedisClient) => ({
        // createKeyv sets no namespace, so keys are literal (`price:EUR_USD`); CacheKeys adds the configured prefix.
        stores: [createKeyv(client)],
      }),
    }),
  ],
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        const client = createRedisClient(config.redis.url, 'main');
        await connectRedis(client);
        return client;
      },
    },
    CacheKeys,
    AppCacheService,
  ],
  exports: [REDIS_CLIENT, CacheKeys, AppCacheService],
})
export class CacheModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis.isOpen) await this.redis.quit().catch(() => this.redis.destroy());
  }
}
