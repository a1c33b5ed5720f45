import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AppConfig } from '../platform/config';
import { ApiKeyScope, hasScope, secretsEqual } from './api-key-format';
import { ApiKeysService } from './api-keys.service';
import { ADMIN_ONLY, attachKey, guardedArea, OWN_RECORDS, tokenFromHeaders } from './request-auth';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Global guard (DESIGN.md section 11): /api/v1/** needs a key, `read` for
 * GET and `admin` for writes and key management; /metrics needs an admin
 * key or METRICS_TOKEN. Everything else (/health, /docs, the dashboard) is
 * public. Errors never echo the key.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly config: AppConfig,
    private readonly keys: ApiKeysService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http' || this.config.auth.mode === 'off') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const area = guardedArea(request.path);
    if (!area) return true;
    const token = tokenFromHeaders(request.headers);
    const metricsToken = this.config.auth.metricsToken;
    if (area === 'metrics' && token && metricsToken && secretsEqual(token, metricsToken)) {
      return true;
    }
    const response = http.getResponse<Response>();
    if (!token) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="fx-data-pipeline"');
      throw new UnauthorizedException(
        'missing API key: send "Authorization: Bearer <key>" or "X-API-Key: <key>"',
      );
    }
    const key = await this.keys.verify(token);
    if (!key) {
      response.setHeader(
        'WWW-Authenticate',
        'Bearer realm="fx-data-pipeline", error="invalid_token"',
      );
      throw new UnauthorizedException('unknown or revoked API key');
    }
    const targets = [context.getHandler(), context.getClass()];
    const ownRecords = this.reflector.getAllAndOverride<boolean>(OWN_RECORDS, targets) === true;
    const needed: ApiKeyScope =
      area === 'metrics' ||
      (!READ_METHODS.has(request.method) && !ownRecords) ||
      this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, targets)
        ? 'admin'
        : 'read';
    if (!hasScope(key.scopes, needed)) {
      throw new ForbiddenException(
        `this route needs the "${needed}" scope; key fxp_${key.prefix}… has ${key.scopes.join(', ')}`,
      );
    }
    attachKey(request, key);
    this.keys.touch(key.id);
    return true;
  }
}
