/** The public surface of platform/redis: other folders import only what is exported here. */
export { CACHE_REDIS_CLIENT, RedisModule } from './redis.module';
export { REDIS_CLIENT, closeRedis, connectRedis, createRedisClient } from './redis-client';
export type { RedisClient } from './redis-client';
