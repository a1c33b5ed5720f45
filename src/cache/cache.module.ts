import { createKeyv } from '@keyv/redis';
import { CacheModule as NestCacheModule } from '@nestjs/cache-manager';
import Keyv, { type DeserializedData } from 'keyv';
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
/**
 * Keyv's default (de)serializer walks every value with a JSON reviver to restore
 * Buffers and unescape strings starting with ':'; on `/prices/all` (20 cached
 * prices per request) that reviver was the largest single cost in a CPU profile
 * (12 % of the process). The cache holds plain JSON data only (no Buffers), so plain
 * JSON.stringify / JSON.parse round-trip it exactly.
 */
function plainJson(keyv: Keyv): Keyv {
  keyv.serialize = (data) => JSON.stringify(data);
  keyv.deserialize = <Value>(data: string) => JSON.parse(data) as DeserializedData<Value>;
  return keyv;
}

@Module({
  imports: [
    NestCacheModule.registerAsync({
      inject: [CACHE_REDIS_CLIENT],
      useFactory: (client: RedisClient | null) => ({
        stores: [
          // createKeyv sets no namespace, so keys are literal (`price:EUR_USD`); CacheKeys adds the configured prefix.
          // Without REDIS_URL: a plain Keyv, cache-manager's default in-memory store (one instance only).
          plainJson(client ? createKeyv(client) : new Keyv()),
        ],
      }),
    }),
  ],
  controllers: [CacheController],
  providers: [CacheKeys, AppCacheService, CacheStatsService, CacheWarmers],
  exports: [CacheKeys, AppCacheService, CacheWarmers, CacheStatsService],
})
export class CacheModule {}
