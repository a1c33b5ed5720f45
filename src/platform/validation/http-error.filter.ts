import { type ArgumentsHost, Catch, HttpException, NotFoundException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { bounded } from './input-rules';

/**
 * Longest message string an error body carries. Our own messages quote at
 * most MAX_ECHO_CHARS of input and stay well below this; the cap holds for
 * messages written by libraries (body-parser, the router) too.
 */
export const MAX_MESSAGE_CHARS = 300;

/**
 * Every HTTP error as `{statusCode, error, message}` with a bounded message,
 * so no error sends a client's 10 KB input back. Anything that is not an
 * HttpException (a bug) goes to Nest's own filter: 500, logged with its stack.
 */
@Catch()
export class HttpErrorFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http' || !(exception instanceof HttpException)) {
      super.catch(exception, host);
      return;
    }
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const status = exception.getStatus();
    const raw = exception.getResponse();
    const body: Record<string, unknown> =
      typeof raw === 'object' && raw !== null ? { ...raw } : { message: raw };
    let message = body.message ?? exception.message;
    // The router's 404 quotes the whole URL, query string included; name the path only, bounded.
    if (
      exception instanceof NotFoundException &&
      message === `Cannot ${req.method} ${req.originalUrl}`
    )
      message = `Cannot ${req.method} ${bounded(req.originalUrl.split('?')[0])}`;
    const payload = {
      ...body,
      statusCode: status,
      error: typeof body.error === 'string' ? body.error : (STATUS_CODES[status] ?? 'Error'),
      message: Array.isArray(message) ? message.map((m) => boundMessage(m)) : boundMessage(message),
    };
    // A streamed CSV that failed half-way: the status is gone, only closing is left.
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(status).json(payload);
  }
}

function boundMessage(message: unknown): string {
  return bounded(
    typeof message === 'string' ? message : JSON.stringify(message),
    MAX_MESSAGE_CHARS,
  );
}
