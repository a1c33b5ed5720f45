/** The public surface of platform/observability: other folders import only what is exported here. */
export { AppLogger } from './app-logger';
export { HttpMetricsInterceptor } from './http-metrics.interceptor';
export { MetricsController } from './metrics.controller';
export { MetricsModule } from './metrics.module';
export { MetricsService } from './metrics.service';
