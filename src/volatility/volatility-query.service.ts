import { BadRequestException, Injectable } from '@nestjs/common';
import { AppCacheService } from '../cache';
import { CacheKeys } from '../cache';
import { isoTimeParam } from '../platform/validation';
import { AppConfig } from '../platform/config';
import {
  metricFromEntity,
  type VolatilityHistoryDto,
  type VolatilityListDto,
  type VolatilityMetricDto,
} from './dto/volatility-metric.dto';
import type { VolatilityHistoryQuery } from './dto/volatility-history.query';
import { VolatilityMetricsStore } from './volatility-metrics.store';

/** API reads: latest metrics cache-first (metrics:<I>), history from the database. */
@Injectable()
export class VolatilityQueryService {
  constructor(
    private readonly store: VolatilityMetricsStore,
    private readonly cache: AppCacheService,
    private readonly keys: CacheKeys,
    private readonly config: AppConfig,
  ) {}

  async latest(instrument: string): Promise<VolatilityMetricDto | null> {
    const { key, ttl } = this.keys.metrics(instrument);
    return this.cache.getOrLoad(key, ttl, async () => {
      const [row] = await this.store.latest([instrument]);
      return row ? metricFromEntity(row) : null;
    });
  }

  /** Refills metrics:<I> of every tracked instrument from the database (`cache:warm`); returns keys written. */
  async warmCache(): Promise<number> {
    let written = 0;
    for (const row of await this.store.latest(this.config.market.instruments)) {
      const { key, ttl } = this.keys.metrics(row.instrument);
      if (await this.cache.set(key, metricFromEntity(row), ttl)) written += 1;
    }
    return written;
  }

  async latestAll(): Promise<VolatilityListDto> {
    const instruments = this.config.market.instruments;
    const found = await Promise.all(instruments.map((i) => this.latest(i)));
    const metrics = found.filter((m): m is VolatilityMetricDto => m !== null);
    return {
      count: metrics.length,
      metrics,
      missing: instruments.filter((_, i) => found[i] === null),
    };
  }

  async history(instrument: string, query: VolatilityHistoryQuery): Promise<VolatilityHistoryDto> {
    const from = isoTimeParam(query.from, 'from');
    const to = isoTimeParam(query.to, 'to');
    if (from && to && from.getTime() > to.getTime()) {
      throw new BadRequestException('from must not be after to');
    }
    const [latest, rows] = await Promise.all([
      this.latest(instrument),
      this.store.history(instrument, { from, to, limit: query.limit ?? 100 }),
    ]);
    const history = rows.map(metricFromEntity);
    return { instrument, latest, count: history.length, history };
  }
}
