import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';

/**
 * Cache-aside over cache-manager (Redis store). Redis being down never fails
 * a read: a miss or an error falls through to the loader.
 */
@Injectable()
export class AppCacheService {
  private readonly logger = new Logger(AppCacheService.name);

  constructor(@Inject(CACHE_MANAGER) private readonly cache: Cache) {}

  async get<T>(key: string): Promise<T | undefined> {
    try {
      const value = await this.cache.get<T>(key);
      return value ?? undefined;
    } catch (error) {
      this.logger.debug(`get ${key} failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<boolean> {
    try {
      await this.cache.set(key, value, ttlSeconds * 1000);
      return true;
    } catch (error) {
      this.logger.debug(`set ${key} failed: ${(error as Error).message}`);
      return false;
    }
  }

  async del(key: string): Promise<void> {
    try {
      await this.cache.del(key);
    } catch (error) {
      this.logger.debug(`del ${key} failed: ${(error as Error).message}`);
    }
  }

  /** Cache first, loader on a miss (and refill). A null/undefined load is not cached. */
  async getOrLoad<T>(key: string, ttlSeconds: number, loader: () => Promise<T>): Promise<T> {
    const cached = await this.get<T>(key);
    if (cached !== undefined) return cached;
    const value = await loader();
    if (value !== undefined && value !== null) await this.set(key, value, ttlSeconds);
    return value;
  }
}
