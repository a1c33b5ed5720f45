import { Global, Module } from '@nestjs/common';
import { MetricsService } from './metrics.service';

/** Global so any module can record a metric without importing the health module. */
@Global()
@Module({ providers: [MetricsService], exports: [MetricsService] })
export class MetricsModule {}
