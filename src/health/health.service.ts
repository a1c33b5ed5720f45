import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { REDIS_CLIENT, type RedisClient } from '../cache/redis-client';

export interface DependencyCheck {
  status: 'up' | 'down';
  latency_ms: number;
  error?: string;
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
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
  ) {}

  async checkDatabase(): Promise<DependencyCheck> {
    return this.measure(() => this.dataSource.query('SELECT 1'));
  }

  async checkRedis(): Promise<DependencyCheck> {
    return this.measure(async () => {
      if (!this.redis.isReady) throw new Error('not connected');
      await this.redis.ping();
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
