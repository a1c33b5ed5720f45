import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { REDIS_CLIENT, type RedisClient } from '../platform/redis';

export interface DependencyCheck {
  status: 'up' | 'down';
  latency_ms: number;
  error?: string;
  /** Set when the dependency is replaced by an in-process one (embedded mode, REDIS_URL unset). */
  backend?: 'in-process';
}

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref(),
    ),
  ]);

/** Cheap readiness checks of the two services everything depends on. */
@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient | null,
  ) {}

  async checkDatabase(): Promise<DependencyCheck> {
    return this.measure(() => this.dataSource.query('SELECT 1'));
  }

  /** Without REDIS_URL there is no Redis to reach: pub/sub and cache are in-process and always up. */
  async checkRedis(): Promise<DependencyCheck> {
    const redis = this.redis;
    if (!redis) return { status: 'up', latency_ms: 0, backend: 'in-process' };
    return this.measure(async () => {
      if (!redis.isReady) throw new Error('not connected');
      await redis.ping();
    });
  }

  private async measure(check: () => Promise<unknown>): Promise<DependencyCheck> {
    const started = performance.now();
    try {
      await withTimeout(check(), 2_000);
      return { status: 'up', latency_ms: Math.round((performance.now() - started) * 10) / 10 };
    } catch (error) {
      return {
        status: 'down',
        latency_ms: Math.round((performance.now() - started) * 10) / 10,
        error: (error as Error).message,
      };
    }
  }
}
