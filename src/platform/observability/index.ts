/** The public surface of platform/observability: other folders import only what is exported here. */
export { AppLogger } from './app-logger';
export { HttpMetricsInterceptor } from './http-metrics.interceptor';
export { PrometheusController } from './prometheus.controller';
export { ObservabilityModule } from './observability.module';
export { PrometheusService } from './prometheus.service';
