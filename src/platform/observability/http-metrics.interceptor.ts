import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { PrometheusService } from './prometheus.service';

/**
 * Records every HTTP request's duration once the response is finished, with
 * the ROUTE TEMPLATE as label (`/api/v1/candles/:instrument`, not the URL:
 * raw URLs would make one time series per instrument and query string).
 * Listening to `finish` sees the final status, including errors turned into
 * responses by exception filters after this interceptor.
 */
@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  constructor(private readonly metrics: PrometheusService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.recordHttp(req.method, routeTemplate(req), res.statusCode, seconds);
    });
    return next.handle();
  }
}

/** Express's matched route pattern with its mount path; never the raw URL. */
export function routeTemplate(req: Request): string {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route === 'string') return `${req.baseUrl ?? ''}${route}` || '/';
  return 'unmatched';
}
