import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { categorise } from './categorise';
import { AppCacheService } from '../cache';
import { CacheKeys } from '../cache';
import { parseCalendarDate } from '../platform/validation';
import { AppConfig } from '../platform/config';
import { resolveWindow } from './correlation-windows';
import { CorrelationStore, type StoredCorrelation } from './correlation.store';
import type {
  CorrelationMatrixDto,
  CorrelationPairDto,
  CorrelationPointDto,
} from './dto/correlation.dto';
import { orderPair } from './pearson';

/** Reads of correlation_matrix for the API, the cache and the best-pairs step. */
@Injectable()
export class CorrelationQueryService {
  constructor(
    private readonly store: CorrelationStore,
    private readonly cache: AppCacheService,
    private readonly keys: CacheKeys,
    private readonly config: AppConfig,
  ) {}

  /** The matrix of a window: the newest (cache first) or that of `date`. */
  async matrix(
    windowParam: number | undefined,
    date: string | undefined,
  ): Promise<CorrelationMatrixDto> {
    const window = resolveWindow(this.config, windowParam);
    // The query DTO applies the same rule; Date.parse would roll 2026-02-30 over and PostgreSQL then fail.
    const day = date === undefined ? undefined : parseCalendarDate(date);
    if (day && !day.ok) throw new BadRequestException(`date ${day.reason}`);
    const { key, ttl } = this.keys.correlationMatrix(window);
    let matrix: CorrelationMatrixDto | null;
    if (date === undefined) {
      matrix = await this.cache.getOrLoad(key, ttl, () => this.buildMatrix(window));
    } else {
      const cached = await this.cache.get<CorrelationMatrixDto>(key);
      matrix = cached?.date === date ? cached : await this.buildMatrix(window, date);
    }
    if (!matrix) {
      throw new NotFoundException(
        date
          ? `no correlation matrix for window ${window} on ${date}`
          : `no correlation matrix for window ${window} has been calculated yet (run: job run daily-correlation)`,
      );
    }
    return matrix;
  }

  /** Re-reads the newest matrix of each window into the cache (after a run, whatever day it was for). */
  async refreshCache(
    windows: readonly number[] = this.config.analytics.correlationWindows,
  ): Promise<number> {
    let written = 0;
    for (const window of windows) {
      const { key, ttl } = this.keys.correlationMatrix(window);
      const matrix = await this.buildMatrix(window);
      if (!matrix) await this.cache.del(key);
      else if (await this.cache.set(key, matrix, ttl)) written += 1;
    }
    return written;
  }

  /** Rows with a value for one day and window (the best-pairs input), in no particular order. */
  async correlationsOn(
    date: string,
    window: number,
  ): Promise<Array<{ pair1: string; pair2: string; correlation: number }>> {
    const { values } = await this.store.valuesOn(date, window);
    return values.filter(
      (r): r is { pair1: string; pair2: string; correlation: number } => r.correlation !== null,
    );
  }

  async pair(
    pair1: string,
    pair2: string,
    windowParam: number | undefined,
    limit = 30,
  ): Promise<CorrelationPairDto> {
    if (pair1 === pair2) throw new BadRequestException('pair2 must differ from pair1');
    for (const [field, instrument] of [
      ['pair1', pair1],
      ['pair2', pair2],
    ] as const) {
      if (!this.config.isTracked(instrument)) {
        throw new NotFoundException(
          `${field}: instrument ${instrument} is not tracked by this service`,
        );
      }
    }
    const window = resolveWindow(this.config, windowParam);
    const [a, b] = orderPair(pair1, pair2);
    const rows = await this.store.pairHistory(a, b, window, limit);
    if (rows.length === 0) {
      throw new NotFoundException(
        `no correlation stored for ${pair1}/${pair2} with window ${window} yet`,
      );
    }
    const t = this.config.analytics;
    const latest = rows[0];
    return {
      pair1,
      pair2,
      window,
      latest: {
        ...point(latest),
        category:
          latest.correlation === null
            ? null
            : categorise(latest.correlation, {
                negative: t.negativeThreshold,
                uncorrelated: t.uncorrelatedThreshold,
                high: t.highThreshold,
              }),
      },
      history: rows.map(point),
    };
  }

  /** The matrix of `date` (default: the newest day) over the tracked instruments, or null if none. */
  private async buildMatrix(window: number, date?: string): Promise<CorrelationMatrixDto | null> {
    const day = date ?? (await this.store.latestDate(window));
    if (!day) return null;
    const { values: rows, calculatedAt } = await this.store.valuesOn(day, window);
    if (!calculatedAt) return null;
    const instruments = [...this.config.market.instruments];
    const index = new Map(instruments.map((name, i) => [name, i]));
    const matrix = instruments.map((_, i) =>
      instruments.map((__, j) => (i === j ? 1 : (null as number | null))),
    );
    for (const row of rows) {
      const i = index.get(row.pair1);
      const j = index.get(row.pair2);
      if (i === undefined || j === undefined) continue; // no longer tracked
      matrix[i][j] = row.correlation;
      matrix[j][i] = row.correlation;
    }
    return {
      instruments,
      matrix,
      window,
      date: day,
      calculated_at: calculatedAt.toISOString(),
    };
  }
}

function point(row: StoredCorrelation): CorrelationPointDto {
  return {
    date: row.date,
    correlation: row.correlation,
    sample_size: row.sampleSize,
    calculated_at: row.calculatedAt.toISOString(),
  };
}
