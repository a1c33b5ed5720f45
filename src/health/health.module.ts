import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CandlesModule } from '../candles';
import { JobsModule } from '../jobs';
import { PricesModule } from '../prices';
import { DetailedHealthController } from './detailed-health.controller';
import { DetailedHealthService } from './detailed-health.service';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { InfoController } from './info.controller';
import { HttpMetricsInterceptor } from '../platform/observability';
import { PrometheusController } from '../platform/observability';
import { OpsMetricsCollector } from './ops-metrics/ops-metrics.collector';

@Module({
  imports: [JobsModule, CandlesModule, PricesModule],
  controllers: [HealthController, DetailedHealthController, InfoController, PrometheusController],
  providers: [
    HealthService,
    DetailedHealthService,
    OpsMetricsCollector,
    { provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor },
  ],
  exports: [HealthService],
})
export class HealthModule {}
