import { Logger } from '@nestjs/common';
import type { AppConfig } from '../../platform/config';
import type { PrometheusService } from '../../platform/observability';
import { sleep } from '../../platform/time';
import { PermanentProviderError, TransientProviderError } from '../market-data-provider.interface';
import type { ResolvedOandaOptions } from './oanda-options';
import { parseRetryAfter, retryDelay } from './retry-policy';
import { TokenBucket } from './token-bucket';

type Query = Record<string, string | undefined>;

/** What a request is for: the metrics label and a log description without secrets. */
export interface RequestLabel {
  endpoint: 'candles' | 'instruments' | 'pricing_stream';
  what: string;
}

/**
 * HTTP to OANDA v20 over the platform's fetch (undici, which pools keep-alive
 * connections per origin by itself). Adds the bearer token, the RFC3339
 * datetime format, one shared rate limiter for every request, timeouts,
 * retries with backoff for transient faults, typed errors, metrics, and
 * makes sure the API key never reaches a log line or an error message.
 */
export class OandaHttpClient {
  private readonly logger = new Logger('OandaHttpClient');
  private readonly requests: TokenBucket;
  private readonly streamConnections: TokenBucket;

  constructor(
    private readonly config: AppConfig['oanda'],
    private readonly metrics: PrometheusService,
    private readonly options: ResolvedOandaOptions,
  ) {
    this.requests = new TokenBucket(
      config.maxRequestsPerSecond,
      Math.max(1, Math.min(options.burst, config.maxRequestsPerSecond)),
    );
    this.streamConnections = new TokenBucket(options.streamConnectionsPerSecond, 1);
  }

  /** Replaces the API key wherever it might appear (an echoed header, a proxy error page). */
  redact(text: string): string {
    const key = this.config.apiKey;
    return key ? text.split(key).join('***') : text;
  }

  private headers(): Record<string, string> {
    if (!this.config.apiKey) {
      throw new PermanentProviderError(
        'OANDA_API_KEY is not set: the OANDA provider cannot authenticate',
      );
    }
    return {
      Authorization: `Bearer ${this.config.apiKey}`,
      'Accept-Datetime-Format': 'RFC3339',
      Accept: 'application/json',
    };
  }

  private url(base: string, path: string, query: Query): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query))
      if (value !== undefined) params.set(name, value);
    const search = params.toString();
    return `${base}${path}${search ? `?${search}` : ''}`;
  }

  /** GET a JSON document from the REST host, retrying transient faults up to OANDA_MAX_RETRIES times. */
  async getJson(
    label: RequestLabel,
    path: string,
    query: Query,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const url = this.url(this.config.apiUrl, path, query);
    const headers = this.headers();
    const maxRetries = this.config.maxRetries;
    for (let attempt = 0; ; attempt++) {
      let failure: TransientProviderError;
      try {
        return await this.attempt(label, url, headers, signal);
      } catch (error) {
        if (!(error instanceof TransientProviderError)) throw error;
        failure = error;
      }
      if (attempt >= maxRetries) {
        throw new TransientProviderError(
          this.redact(`gave up after ${attempt + 1} attempts: ${failure.message}`),
          failure.status,
          failure.retryAfterMs,
        );
      }
      const delay = retryDelay(attempt + 1, failure.retryAfterMs, this.options);
      this.logger.warn(
        `${label.what}: ${failure.message}; retry ${attempt + 1}/${maxRetries} in ${delay} ms`,
      );
      if (!(await sleep(delay, signal))) signal?.throwIfAborted();
    }
  }

  private async attempt(
    label: RequestLabel,
    url: string,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    if (!(await this.requests.acquire(signal))) signal?.throwIfAborted();
    const timeout = AbortSignal.timeout(this.config.requestTimeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    let body: string;
    try {
      response = await fetch(url, { headers, signal: combined });
      body = await response.text();
    } catch (error) {
      signal?.throwIfAborted();
      this.metrics.recordProviderRequest('oanda', label.endpoint, 'network');
      const reason = timeout.aborted
        ? `timed out after ${this.config.requestTimeoutMs} ms`
        : describeNetworkError(error);
      throw new TransientProviderError(this.redact(`${label.what}: ${reason}`));
    }
    this.metrics.recordProviderRequest('oanda', label.endpoint, response.status);
    if (response.ok) {
      try {
        return JSON.parse(body) as unknown;
      } catch {
        // A cut-off body from a proxy or a dropped connection: worth another try.
        throw new TransientProviderError(
          `${label.what}: response is not valid JSON`,
          response.status,
        );
      }
    }
    throw this.httpError(label, response, body);
  }

  /** Maps a non-2xx response to the typed error that decides retry vs give up. */
  private httpError(label: RequestLabel, response: Response, body: string): Error {
    const detail = this.redact(oandaErrorMessage(body) ?? response.statusText ?? 'no details');
    const message = `${label.what}: HTTP ${response.status}: ${detail}`;
    if (response.status === 429 || response.status >= 500) {
      return new TransientProviderError(
        message,
        response.status,
        parseRetryAfter(response.headers.get('retry-after')),
      );
    }
    return new PermanentProviderError(message, response.status);
  }

  /**
   * Opens a streaming GET on the stream host (one attempt; the caller owns
   * reconnecting). `signal` aborts the connection at any time; waiting for the
   * response headers is bounded by OANDA_REQUEST_TIMEOUT_MS.
   */
  async openStream(
    label: RequestLabel,
    path: string,
    query: Query,
    signal: AbortSignal,
  ): Promise<Response> {
    const url = this.url(this.config.streamUrl, path, query);
    const headers = this.headers();
    if (!(await this.streamConnections.acquire(signal))) signal.throwIfAborted();
    if (!(await this.requests.acquire(signal))) signal.throwIfAborted();
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.config.requestTimeoutMs);
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.any([signal, timeout.signal]) });
    } catch (error) {
      signal.throwIfAborted();
      this.metrics.recordProviderRequest('oanda', label.endpoint, 'network');
      const reason = timeout.signal.aborted
        ? `no response within ${this.config.requestTimeoutMs} ms`
        : describeNetworkError(error);
      throw new TransientProviderError(this.redact(`${label.what}: ${reason}`));
    } finally {
      clearTimeout(timer);
    }
    this.metrics.recordProviderRequest('oanda', label.endpoint, response.status);
    if (response.ok && response.body) return response;
    const body = await response.text().catch(() => '');
    throw this.httpError(label, response, body);
  }
}

/** OANDA's error body is {"errorMessage": "...", "errorCode"?: "..."}; anything else yields undefined. */
export function oandaErrorMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { errorMessage?: unknown; errorCode?: unknown };
    if (typeof parsed.errorMessage === 'string') {
      return typeof parsed.errorCode === 'string'
        ? `${parsed.errorMessage} (${parsed.errorCode})`
        : parsed.errorMessage;
    }
  } catch {
    // Not JSON (a proxy's HTML page): fall back to the status text.
  }
  return undefined;
}

/** fetch() reports socket faults as TypeError('fetch failed') with the errno in `cause`. */
export function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const causeMessage = typeof cause?.message === 'string' ? cause.message : undefined;
  return [error.message, code ?? causeMessage].filter(Boolean).join(': ');
}
