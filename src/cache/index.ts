/** The public surface of cache: other folders import only what is exported here. */
export { AppCacheService } from './app-cache.service';
export { CacheKeys } from './cache-keys';
export { CacheWarmers } from './cache-warmers';
export { CacheModule } from './cache.module';
export { SingleFlight } from './single-flight';
