import { Controller, Get, HttpStatus, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HealthService } from './health.service';
import { NoQuery } from '../platform/validation';

const EXAMPLE = {
  status: 'ok',
  timestamp: '2026-11-21T10:00:00.000Z',
  checks: { database: { status: 'up', latency_ms: 1.2 }, redis: { status: 'up', latency_ms: 0.4 } },
};

/** Readiness probe: 200 when PostgreSQL and Redis both answer, 503 naming the one that does not. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOkResponse({ description: 'PostgreSQL and Redis both answer', schema: { example: EXAMPLE } })
  @ApiServiceUnavailableResponse({
    description: 'A dependency is down; `down` names it',
    schema: { example: { ...EXAMPLE, status: 'error', down: ['redis'] } },
  })
  async check(
    @Query() _query: NoQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown>> {
    const [database, redis] = await Promise.all([
      this.health.checkDatabase(),
      this.health.checkRedis(),
    ]);
    const checks = { database, redis };
    const down = Object.entries(checks)
      .filter(([, c]) => c.status === 'down')
      .map(([name]) => name);
    res.status(down.length ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    return {
      status: down.length ? 'error' : 'ok',
      ...(down.length ? { down, message: `${down.join(' and ')} not reachable` } : {}),
      timestamp: new Date().toISOString(),
      checks,
    };
  }
}
