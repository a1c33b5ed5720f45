import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PrometheusService } from './prometheus.service';
import { NoQuery } from '../validation';

/** Prometheus scrape endpoint at /metrics (outside the /api/v1 prefix, like /health). */
@ApiTags('health')
@Controller('metrics')
export class PrometheusController {
  constructor(private readonly metrics: PrometheusService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics (text exposition format)',
    description:
      'HTTP request durations by route template, job runs and durations by job and status, candles stored, ' +
      'socket clients, messages sent, cache hits/misses, provider requests by status, and Node.js process metrics.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text format 0.0.4',
    schema: {
      type: 'string',
      example:
        '# HELP job_runs_total Job runs by job and outcome (success, partial, failed, skipped)\n' +
        '# TYPE job_runs_total counter\n' +
        'job_runs_total{job="hourly",status="success"} 24\n',
    },
  })
  async scrape(
    @Query() _query: NoQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const { contentType, body } = await this.metrics.exposition();
    res.setHeader('Content-Type', contentType);
    return body;
  }
}
