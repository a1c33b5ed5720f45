import {
  CanActivate,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig } from '../platform/config';
import { RATE_LIMIT_STORE, type RateLimitStore } from './rate-limit-store';
import { guardedArea, keyOf } from './request-auth';

const WINDOW_MS = 60_000;
/** A Redis outage is logged at most this often (every request would otherwise log it). */
const WARN_EVERY_MS = 30_000;

/**
 * Per key (per client IP when AUTH_MODE=off) requests per minute, counted in
 * the shared store, so N instances enforce one limit. Runs after ApiKeyGuard
 * (registration order), which has put the key on the request. Every guarded
 * response carries RateLimit-Limit/Remaining/Reset; over the limit, 429 with
 * Retry-After. If the store is unreachable the request is let through: the
 * limiter protects the service, it must not take it down with Redis.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger('RateLimit');
  private lastWarning = 0;

  constructor(
    private readonly config: AppConfig,
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    if (!guardedArea(request.path)) return true;
    const key = keyOf(request);
    const limit = key?.rateLimitPerMinute ?? this.config.auth.rateLimitPerMinute;
    if (limit <= 0) return true;
    const id = key ? `key:${key.id}` : `ip:${request.ip ?? 'unknown'}`;
    let count;
    try {
      count = await this.store.increment(id, WINDOW_MS);
    } catch (error) {
      this.warn(error as Error);
      return true;
    }
    const reset = Math.max(1, Math.ceil(count.resetMs / 1000));
    const response = http.getResponse<Response>();
    response.setHeader('RateLimit-Limit', limit);
    response.setHeader('RateLimit-Remaining', Math.max(0, limit - count.hits));
    response.setHeader('RateLimit-Reset', reset);
    if (count.hits <= limit) return true;
    response.setHeader('Retry-After', reset);
    throw new HttpException(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'Too Many Requests',
        message: `rate limit of ${limit} requests per minute reached; retry in ${reset} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }

  private warn(error: Error): void {
    const now = Date.now();
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    this.logger.warn(`rate limiter store unavailable, requests pass unlimited: ${error.message}`);
  }
}
