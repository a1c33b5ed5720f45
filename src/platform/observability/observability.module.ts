import { Global, Module } from '@nestjs/common';
import { PrometheusService } from './prometheus.service';

/** Global so any module can record a metric without importing the health module. */
@Global()
@Module({ providers: [PrometheusService], exports: [PrometheusService] })
export class ObservabilityModule {}
