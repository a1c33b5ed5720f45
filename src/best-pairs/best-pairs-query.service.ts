import { Injectable, NotFoundException } from '@nestjs/common';
import { AppCacheService } from '../cache';
import { CacheKeys } from '../cache';
import { AppConfig } from '../platform/config';
import { resolveWindow } from '../correlation';
import { BestPairsStore } from './best-pairs.store';
import type { BestPairCategory } from '../correlation';
import { interleaveByRank } from './rank';
import { type BestPairDto, type BestPairsDto, MAX_BEST_PAIRS_LIMIT } from './dto/best-pairs.dto';

/** What `best_pairs` holds in the cache: the newest day of each window, top rows per category. */
interface CachedWindow {
  date: string;
  calculated_at: string;
  totals: Partial<Record<BestPairCategory, number>>;
  pairs: BestPairDto[];
}
export interface CachedBestPairs {
  windows: Record<string, CachedWindow>;
}

const DEFAULT_CATEGORIES: readonly BestPairCategory[] = ['negatively_correlated', 'uncorrelated'];

@Injectable()
export class BestPairsQueryService {
  constructor(
    private readonly store: BestPairsStore,
    private readonly cache: AppCacheService,
    private readonly keys: CacheKeys,
    private readonly config: AppConfig,
  ) {}

  async list(query: {
    category?: BestPairCategory;
    limit?: number;
    window?: number;
  }): Promise<BestPairsDto> {
    const window = resolveWindow(this.config, query.window);
    const limit = query.limit ?? 5;
    const { key, ttl } = this.keys.bestPairs();
    const cached = await this.cache.getOrLoad(key, ttl, () => this.load());
    const entry = cached?.windows[String(window)];
    if (!entry) {
      throw new NotFoundException(
        `no best pairs for window ${window} have been calculated yet (run: job run daily-correlation)`,
      );
    }
    const pairs = query.category
      ? entry.pairs.filter((p) => p.category === query.category).slice(0, limit)
      : interleaveByRank(entry.pairs, DEFAULT_CATEGORIES, limit);
    return {
      date: entry.date,
      window,
      category: query.category ?? null,
      calculated_at: entry.calculated_at,
      totals: entry.totals,
      count: pairs.length,
      pairs,
    };
  }

  /** Re-reads the newest best pairs of every window into the cache. */
  async refreshCache(): Promise<number> {
    const { key, ttl } = this.keys.bestPairs();
    const value = await this.load();
    if (!value) {
      await this.cache.del(key);
      return 0;
    }
    return (await this.cache.set(key, value, ttl)) ? 1 : 0;
  }

  private async load(): Promise<CachedBestPairs | null> {
    const windows: Record<string, CachedWindow> = {};
    for (const window of this.config.analytics.correlationWindows) {
      const date = await this.store.latestDate(window);
      if (!date) continue;
      const [rows, totals] = await Promise.all([
        this.store.top(date, window, MAX_BEST_PAIRS_LIMIT),
        this.store.totals(date, window),
      ]);
      const calculatedAt = rows.reduce((max, r) => Math.max(max, r.calculatedAt.getTime()), 0);
      windows[String(window)] = {
        date,
        calculated_at: new Date(calculatedAt).toISOString(),
        totals,
        pairs: rows.map((r) => ({
          rank: r.rank,
          pair1: r.pair1,
          pair2: r.pair2,
          correlation: r.correlation,
          category: r.category,
          reason: r.reason,
        })),
      };
    }
    return Object.keys(windows).length ? { windows } : null;
  }
}
