import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CandlesModule } from '../candles/candles.module';
import { JobsModule } from '../jobs/jobs.module';
import { PricesModule } from '../prices/prices.module';
import { DetailedHealthController } from './detailed-health.controller';
import { DetailedHealthService } from './detailed-health.service';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { InfoController } from './info.controller';
import { HttpMetricsInterceptor } from '../platform/observability/http-metrics.interceptor';
import { MetricsController } from '../platform/observability/metrics.controller';

@Module({
  imports: [JobsModule, CandlesModule, PricesModule],
  controllers: [HealthController, DetailedHealthController, InfoController, MetricsController],
  providers: [
    HealthService,
    DetailedHealthService,
    { provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor },
  ],
  exports: [HealthService],
})
export class HealthModule {}
