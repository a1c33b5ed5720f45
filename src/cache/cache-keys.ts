import { Injectable } from '@nestjs/common';
import { AppConfig } from '../platform/config';

export const CACHE_KINDS = ['price', 'metrics', 'correlation_matrix', 'best_pairs'] as const;
export type CacheKind = (typeof CACHE_KINDS)[number];

/** Every cache key and its TTL (seconds) is built here and nowhere else. */
@Injectable()
export class CacheKeys {
  private readonly prefix: string;

  constructor(private readonly config: AppConfig) {
    this.prefix = config.redis.keyPrefix;
  }

  price(instrument: string): { key: string; ttl: number } {
    return { key: `${this.prefix}price:${instrument}`, ttl: this.config.cache.ttlPrice };
  }

  metrics(instrument: string): { key: string; ttl: number } {
    return { key: `${this.prefix}metrics:${instrument}`, ttl: this.config.cache.ttlMetrics };
  }

  correlationMatrix(window: number): { key: string; ttl: number } {
    return {
      key: `${this.prefix}correlation_matrix:${window}`,
      ttl: this.config.cache.ttlCorrelation,
    };
  }

  bestPairs(): { key: string; ttl: number } {
    return { key: `${this.prefix}best_pairs`, ttl: this.config.cache.ttlBestPairs };
  }

  /**
   * The key family of a full key (`price`, `metrics`, ...), for hit/miss
   * counters; `other` for a key not built here.
   */
  kindOf(key: string): CacheKind | 'other' {
    if (!key.startsWith(this.prefix)) return 'other';
    const rest = key.slice(this.prefix.length);
    if (rest === 'best_pairs') return 'best_pairs';
    const kind = rest.slice(0, rest.indexOf(':'));
    return (CACHE_KINDS as readonly string[]).includes(kind) ? (kind as CacheKind) : 'other';
  }

  /** The key families, for stats and `cache:clear`. */
  kinds(): Record<CacheKind, string> {
    return {
      price: `${this.prefix}price:*`,
      metrics: `${this.prefix}metrics:*`,
      correlation_matrix: `${this.prefix}correlation_matrix:*`,
      best_pairs: `${this.prefix}best_pairs`,
    };
  }
}
