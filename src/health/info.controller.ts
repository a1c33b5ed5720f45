import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '../platform/config';
import { NoQuery } from '../platform/validation';

const STARTED = Date.now();

/** What this instance is and tracks; never any secret. */
@ApiTags('info')
@Controller('info')
export class InfoController {
  constructor(private readonly config: AppConfig) {}

  @Get()
  @ApiOkResponse({
    description:
      'Service name, version, provider, tracked instruments and settings that matter to clients',
    schema: {
      example: {
        name: 'fx-data-pipeline',
        version: '0.1.0',
        instance_id: 'host-1234',
        provider: 'simulated',
        oanda_environment: null,
        granularity: 'H1',
        instruments: ['EUR_USD', 'GBP_USD'],
        instrument_count: 2,
        correlation_windows: [100, 200],
        retention_days: 365,
        price_format: 'JSON numbers (exact for every FX quote: at most 15 significant digits)',
        uptime_seconds: 42,
        server_time: '2026-11-21T10:00:00.000Z',
      },
    },
  })
  info(@Query() _query: NoQuery): Record<string, unknown> {
    const { market, oanda, analytics, retention, app } = this.config;
    return {
      name: 'fx-data-pipeline',
      version: app.version,
      instance_id: app.instanceId,
      provider: market.provider,
      oanda_environment: market.provider === 'oanda' ? oanda.environment : null,
      granularity: 'H1',
      instruments: market.instruments,
      instrument_count: market.instruments.length,
      correlation_windows: analytics.correlationWindows,
      retention_days: retention.days,
      price_format: 'JSON numbers (exact for every FX quote: at most 15 significant digits)',
      uptime_seconds: Math.round((Date.now() - STARTED) / 1000),
      server_time: new Date().toISOString(),
    };
  }
}
