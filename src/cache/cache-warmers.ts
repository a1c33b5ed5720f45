import { Injectable, Logger } from '@nestjs/common';

/** One family of cache entries that `cache:warm` can fill from the database. */
export interface CacheWarmer {
  /** The key kind it fills, e.g. `price`, `metrics`, `correlation_matrix`. */
  name: string;
  /** Fills its keys; resolves to how many keys were written. */
  warm(signal: AbortSignal): Promise<number>;
}

export interface WarmResult {
  name: string;
  keys: number;
  error?: string;
}

/**
 * Where feature modules register how to fill their cache keys (in
 * `onModuleInit`), so `cache:warm` warms whatever modules exist without the
 * cache module importing any of them (that would be an import cycle: they
 * all use the cache).
 */
@Injectable()
export class CacheWarmers {
  private readonly logger = new Logger(CacheWarmers.name);
  private readonly warmers: CacheWarmer[] = [];

  register(warmer: CacheWarmer): void {
    if (this.warmers.some((w) => w.name === warmer.name))
      throw new Error(`cache warmer ${warmer.name} registered twice`);
    this.warmers.push(warmer);
  }

  names(): string[] {
    return this.warmers.map((w) => w.name);
  }

  /** Runs the warmers one by one (or only `only`); one failing does not stop the others. */
  async warmAll(signal: AbortSignal, only?: readonly string[]): Promise<WarmResult[]> {
    const unknown = (only ?? []).filter((name) => !this.names().includes(name));
    if (unknown.length)
      throw new Error(
        `unknown cache warmer(s): ${unknown.join(', ')} (known: ${this.names().join(', ') || 'none'})`,
      );
    const results: WarmResult[] = [];
    for (const warmer of this.warmers) {
      if (only?.length && !only.includes(warmer.name)) continue;
      if (signal.aborted) break;
      try {
        results.push({ name: warmer.name, keys: await warmer.warm(signal) });
      } catch (error) {
        this.logger.warn(`warming ${warmer.name} failed: ${(error as Error).message}`);
        results.push({ name: warmer.name, keys: 0, error: (error as Error).message });
      }
    }
    return results;
  }
}
