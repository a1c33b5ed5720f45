import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config';
import {
  closeRedis,
  connectRedis,
  createRedisClient,
  REDIS_CLIENT,
  type RedisClient,
} from './redis-client';

/** The Redis connection the cache store (Keyv) talks through; null without REDIS_URL (in-memory store). */
export const CACHE_REDIS_CLIENT = Symbol('CACHE_REDIS_CLIENT');

const connection =
  (name: string) =>
  async (config: AppConfig): Promise<RedisClient | null> => {
    if (!config.redis.url) return null;
    const client = createRedisClient(config.redis.url, name);
    await connectRedis(client);
    return client;
  };

/**
 * The app's Redis connections (node-redis, the one Redis library of the app),
 * null without REDIS_URL (pub/sub is then in-process and the cache in memory):
 * `main` for commands and publishes, `cache` for the cache store so a burst of
 * cache traffic never queues behind publishes or stats scans. The pub/sub
 * subscriber opens its own (a subscribed connection takes no commands).
 * Global: every layer may use Redis, and the platform is below every feature.
 */
@Global()
@Module({
  providers: [
    { provide: REDIS_CLIENT, inject: [AppConfig], useFactory: connection('main') },
    { provide: CACHE_REDIS_CLIENT, inject: [AppConfig], useFactory: connection('cache') },
  ],
  exports: [REDIS_CLIENT, CACHE_REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient | null,
    @Inject(CACHE_REDIS_CLIENT) private readonly cacheRedis: RedisClient | null,
  ) {}

  /** After every module's own shutdown work (which may still publish or cache), close both. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([closeRedis(this.redis), closeRedis(this.cacheRedis, 'Redis cache close')]);
  }
}
