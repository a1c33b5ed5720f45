import { Controller, Get, HttpStatus, Query, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { DetailedHealth, DetailedHealthService } from './detailed-health.service';
import { NoQuery } from '../platform/validation';

const EXAMPLE = {
  status: 'degraded',
  reasons: ['redis down: not connected'],
  timestamp: '2026-11-21T10:05:00.000Z',
  version: '0.1.0',
  instance_id: 'fx-api-1',
  mode: 'external',
  backends: { database: 'external', pubsub: 'redis' },
  uptime_seconds: 3600,
  checks: {
    database: { status: 'up', latency_ms: 1.1 },
    redis: { status: 'down', latency_ms: 0.1, error: 'not connected' },
  },
  scheduler: {
    enabled: true,
    jobs: [
      {
        name: 'hourly',
        enabled: true,
        scheduled: true,
        schedule: '0 2 * * * *',
        next_run: '2026-11-21T11:02:00.000Z',
        running: false,
        last_run: {
          status: 'success',
          start_time: '2026-11-21T10:02:00.010Z',
          end_time: '2026-11-21T10:02:13.400Z',
          duration_seconds: 13.39,
          error_message: null,
        },
        last_success: '2026-11-21T10:02:00.010Z',
      },
    ],
  },
  live_stream: {
    enabled: true,
    leader: true,
    connected: true,
    provider: 'oanda',
    last_tick_at: '2026-11-21T10:04:59.800Z',
    last_tick_age_seconds: 0,
    ticks_received: 51234,
  },
  data_freshness: {
    market_open: true,
    expected_latest_candle: '2026-11-21T09:00:00.000Z',
    tolerance_seconds: 5400,
    stale: [],
    missing: [],
    instruments: [
      {
        instrument: 'EUR_USD',
        last_complete_candle: '2026-11-21T09:00:00.000Z',
        age_seconds: 300,
        lag_seconds: 0,
        status: 'fresh',
      },
    ],
  },
  socket_clients: 12,
};

/**
 * The operator's view; `/health` (no prefix) stays the cheap readiness probe.
 * 200 for ok and degraded (the service still answers), 503 only when
 * PostgreSQL is down and nothing can be served.
 */
@ApiTags('health')
@Controller('health')
export class DetailedHealthController {
  constructor(private readonly health: DetailedHealthService) {}

  @Get('detailed')
  @ApiOperation({
    summary: 'Detailed health: dependencies, scheduler, live stream, data freshness, sockets',
    description:
      '`status` is ok, degraded (Redis down, stale or missing candles, a job whose last run failed, ' +
      'the stream leader disconnected; `reasons` says which) or down (PostgreSQL unreachable). ' +
      'Candles are not stale while the FX market is closed at the weekend. Every section answers within 2 s.',
  })
  @ApiOkResponse({ description: 'ok or degraded', schema: { example: EXAMPLE } })
  @ApiServiceUnavailableResponse({
    description: 'PostgreSQL is down',
    schema: {
      example: { ...EXAMPLE, status: 'down', reasons: ['database down: no answer within 2000 ms'] },
    },
  })
  async detailed(
    @Query() _query: NoQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DetailedHealth> {
    const report = await this.health.report();
    res.status(report.status === 'down' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    return report;
  }
}
