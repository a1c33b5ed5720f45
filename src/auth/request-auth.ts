import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { VerifiedKey } from './api-keys.service';

/** Paths the guards protect: the API and the scrape endpoint. /health, /docs and the dashboard stay public. */
export type GuardedArea = 'api' | 'metrics';

export function guardedArea(path: string): GuardedArea | null {
  if (path === '/api/v1' || path.startsWith('/api/v1/')) return 'api';
  if (path === '/metrics' || path === '/metrics/') return 'metrics';
  return null;
}

/** The key from `Authorization: Bearer <key>` or `X-API-Key: <key>`; undefined when neither is sent. */
export function tokenFromHeaders(
  headers: Record<string, string | string[] | undefined>,
): string | undefined {
  const header = headers['x-api-key'];
  const apiKey = Array.isArray(header) ? header[0] : header;
  if (apiKey?.trim()) return apiKey.trim();
  const authorization = headers.authorization;
  const match = typeof authorization === 'string' && /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match ? match[1] : undefined;
}

const KEY = Symbol('apiKey');
type KeyedRequest = Request & { [KEY]?: VerifiedKey };

export function attachKey(request: Request, key: VerifiedKey): void {
  (request as KeyedRequest)[KEY] = key;
}

export function keyOf(request: Request): VerifiedKey | undefined {
  return (request as KeyedRequest)[KEY];
}

/** The verified key of this request (undefined when AUTH_MODE=off). */
export const CurrentKey = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): VerifiedKey | undefined =>
    keyOf(ctx.switchToHttp().getRequest<Request>()),
);

/** Who did it, for logs and cron_job_log.triggered_by: `key:<prefix>`, or `api` when AUTH_MODE=off. */
export function actorOf(key: VerifiedKey | undefined): string {
  return key ? `key:${key.prefix}` : 'api';
}

export const ADMIN_ONLY = 'fxp:admin-only';
/** Needs the admin scope even for GET (key management). Writes need it anyway. */
export const AdminOnly = (): MethodDecorator & ClassDecorator => SetMetadata(ADMIN_ONLY, true);

export const OWN_RECORDS = 'fxp:own-records';
/**
 * Writes that only touch the caller's own records (its alert rules): the
 * `read` scope is enough, since nothing shared changes.
 */
export const OwnRecords = (): MethodDecorator & ClassDecorator => SetMetadata(OWN_RECORDS, true);
