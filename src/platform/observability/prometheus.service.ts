import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The service's Prometheus metrics, one registry per app instance (tests boot
 * several apps in one process, so the default global registry would clash).
 * Modules record through these typed methods; GET /metrics exposes them.
 */
@Injectable()
export class PrometheusService {
  readonly registry = new Registry();

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly jobDuration = new Histogram({
    name: 'job_duration_seconds',
    help: 'Job run duration by job and outcome',
    labelNames: ['job', 'status'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 1800],
    registers: [this.registry],
  });
  private readonly jobRuns = new Counter({
    name: 'job_runs_total',
    help: 'Job runs by job and outcome (success, partial, failed, skipped)',
    labelNames: ['job', 'status'] as const,
    registers: [this.registry],
  });
  private readonly candlesStored = new Counter({
    name: 'candles_stored_total',
    help: 'Candles written (inserted or updated) by instrument',
    labelNames: ['instrument'] as const,
    registers: [this.registry],
  });
  private readonly socketClients = new Gauge({
    name: 'socket_clients',
    help: 'Socket.IO clients connected to this instance',
    registers: [this.registry],
  });
  private readonly messagesSent = new Counter({
    name: 'socket_messages_sent_total',
    help: 'Socket.IO messages emitted by event',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });
  private readonly cacheRequests = new Counter({
    name: 'cache_requests_total',
    help: 'Cache lookups by key kind and result (hit, miss, error)',
    labelNames: ['kind', 'result'] as const,
    registers: [this.registry],
  });
  private readonly providerRequests = new Counter({
    name: 'provider_requests_total',
    help: 'Market-data provider HTTP requests by provider, endpoint and status (or "network")',
    labelNames: ['provider', 'endpoint', 'status'] as const,
    registers: [this.registry],
  });

  private readonly alertEvents = new Counter({
    name: 'alert_events_total',
    help: 'Alert rule firings by condition type',
    labelNames: ['condition'] as const,
    registers: [this.registry],
  });
  private readonly webhookDeliveries = new Counter({
    name: 'alert_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome (delivered, retrying, failed = given up)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private socketClientsNow = 0;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  recordHttp(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  recordJob(job: string, status: string, seconds: number): void {
    this.jobRuns.inc({ job, status });
    this.jobDuration.observe({ job, status }, seconds);
  }

  recordCandlesStored(instrument: string, count: number): void {
    if (count > 0) this.candlesStored.inc({ instrument }, count);
  }

  setSocketClients(count: number): void {
    this.socketClientsNow = count;
    this.socketClients.set(count);
  }

  /** Last value given to setSocketClients (for the detailed health report). */
  socketClientCount(): number {
    return this.socketClientsNow;
  }

  recordMessagesSent(event: string, count = 1): void {
    if (count > 0) this.messagesSent.inc({ event }, count);
  }

  recordCache(kind: string, result: 'hit' | 'miss' | 'error'): void {
    this.cacheRequests.inc({ kind, result });
  }

  recordProviderRequest(provider: string, endpoint: string, status: number | 'network'): void {
    this.providerRequests.inc({ provider, endpoint, status: String(status) });
  }

  recordAlertEvent(condition: string): void {
    this.alertEvents.inc({ condition });
  }

  recordWebhookDelivery(outcome: 'delivered' | 'failed' | 'retrying'): void {
    this.webhookDeliveries.inc({ outcome });
  }

  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
