/** The public surface of platform/redis: other folders import only what is exported here. */
export { CACHE_REDIS_CLIENT, CacheRedisModule } from './cache-redis-client';
export { REDIS_CLIENT, connectRedis, createRedisClient } from './redis-client';
export type { RedisClient } from './redis-client';
