import { createKeyv } from '@keyv/redis';
import { CacheModule as NestCacheModule } from '@nestjs/cache-manager';
import Keyv from 'keyv';
import { Module } from '@nestjs/common';
import { AppCacheService } from './app-cache.service';
import { CacheController } from './cache.controller';
import { CacheKeys } from './cache-keys';
import { CacheStatsService } from './cache-stats.service';
import { CacheWarmers } from './cache-warmers';
import { CACHE_REDIS_CLIENT, type RedisClient } from '../platform/redis';

/**
 * The cache: @nestjs/cache-manager + cache-manager v7 with Keyv's @keyv/redis
 * store (cache-manager-redis-yet only works with cache-manager v5), on the
 * platform's `cache` Redis connection. Features that cache import this module.
 */
@Module({
  imports: [
    NestCacheModule.registerAsync({
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
  providers: [CacheKeys, AppCacheService, CacheStatsService, CacheWarmers],
  exports: [CacheKeys, AppCacheService, CacheWarmers, CacheStatsService],
})
export class CacheModule {}
