import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppConfig } from '../platform/config';
import { PrometheusService } from '../platform/observability';
import { AlertEventsStore } from './alert-events.store';
import { AlertWebhookOutboxStore, type ClaimedDelivery } from './alert-webhook-outbox.store';
import { retryDelayMs } from './retry-schedule';
import { webhookHeaders } from './webhook-signature';
import { postWebhook } from './webhook-sender';

/** Rows from another instance (or left by a crash) are looked for at least this often. */
const POLL_MS = 1_000;
/** A claim outlives the POST's own timeout by this much before another instance may take the row. */
const LEASE_MARGIN_MS = 10_000;

/**
 * Delivers the webhook outbox on every serving instance: claims due rows
 * (SKIP LOCKED, so two instances never take the same one), POSTs each with
 * its own timeout in one of ALERT_WEBHOOK_CONCURRENCY slots (a slow or dead
 * receiver holds one slot and nothing else), then deletes the row or
 * schedules the next attempt with backoff until ALERT_WEBHOOK_RETRY_HOURS
 * have passed. Rows survive a restart: the next boot delivers them.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryWorker.name);
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private passing = false;
  private again = false;

  constructor(
    private readonly config: AppConfig,
    private readonly outbox: AlertWebhookOutboxStore,
    private readonly events: AlertEventsStore,
    private readonly metrics: PrometheusService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onApplicationBootstrap(): void {
    // The CLI has no HTTP server and delivers nothing; the service that runs next will.
    if (!this.adapterHost.httpAdapter) return;
    this.running = true;
    this.nudge();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    // In-flight POSTs end within their timeout; an unfinished one stays leased and is retried later.
    await Promise.allSettled([...this.inFlight]);
  }

  /** Look for due rows now (a new event was just committed). */
  nudge(): void {
    if (!this.running) return;
    if (this.passing) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pass(), ms);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    this.timer = null;
    if (!this.running || this.passing) return;
    this.passing = true;
    this.again = false;
    let wait = POLL_MS;
    try {
      const free = this.config.alerts.webhookConcurrency - this.inFlight.size;
      const claimed = await this.outbox.claim(
        free,
        this.config.alerts.webhookTimeoutMs + LEASE_MARGIN_MS,
      );
      for (const row of claimed) this.track(this.deliver(row));
      // Every slot taken by this claim: more may be due, look again as soon as one frees up.
      if (claimed.length > 0 && claimed.length === free) wait = POLL_MS;
      else {
        const due = await this.outbox.msUntilNextDue();
        if (due !== null) wait = Math.min(POLL_MS, Math.max(5, Math.ceil(due)));
      }
    } catch (error) {
      this.logger.warn(`webhook outbox pass failed (retrying): ${(error as Error).message}`);
    } finally {
      this.passing = false;
      this.schedule(this.again ? 0 : wait);
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => {
      this.inFlight.delete(work);
      // A slot freed: there may be due rows waiting for it.
      this.nudge();
    });
  }

  private async deliver(row: ClaimedDelivery): Promise<void> {
    const attempts = row.attempts + 1;
    const { webhookTimeoutMs, webhookAllowPrivate, retryBaseMs } = this.config.alerts;
    try {
      const result = await postWebhook({
        url: row.url,
        headers: webhookHeaders(row.secret, row.eventId, row.body, Date.now()),
        body: row.body,
        timeoutMs: webhookTimeoutMs,
        allowPrivate: webhookAllowPrivate,
      });
      if (result.ok) {
        await this.outbox.remove(row.eventId);
        await this.events.setDelivery(row.eventId, 'delivered', attempts, null);
        this.metrics.recordWebhookDelivery('delivered');
        return;
      }
      const next = Date.now() + retryDelayMs(attempts, retryBaseMs);
      if (next > row.giveUpAt.getTime()) {
        await this.outbox.remove(row.eventId);
        await this.events.setDelivery(row.eventId, 'failed', attempts, result.error ?? 'failed');
        this.metrics.recordWebhookDelivery('failed');
        this.logger.warn(
          `webhook for event ${row.eventId} given up after ${attempts} attempt(s): ${result.error}`,
        );
        return;
      }
      await this.outbox.reschedule(row.eventId, attempts, new Date(next));
      await this.events.setDelivery(row.eventId, 'retrying', attempts, result.error ?? 'failed');
      this.metrics.recordWebhookDelivery('retrying');
    } catch (error) {
      // The database failed around the POST: the lease runs out and the row is tried again.
      this.logger.warn(
        `webhook bookkeeping for event ${row.eventId} failed: ${(error as Error).message}`,
      );
    }
  }
}
