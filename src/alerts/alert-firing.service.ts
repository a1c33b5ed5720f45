import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../platform/config';
import { PrometheusService } from '../platform/observability';
import { EventPublisher } from '../platform/pubsub';
import { type AlertTriggeredEvent, CHANNELS, type Severity } from '../platform/pubsub';
import { type Condition, describeFiring, renderMessage } from './alert-conditions';
import { AlertEvent } from './alert-event.entity';
import { AlertEventsStore } from './alert-events.store';
import type { AlertRule } from './alert-rule.entity';
import type { BuiltinBroadcast } from './builtin-decisions';
import { AlertRulesStore, type FireWrite } from './alert-rules.store';
import { AlertWebhookOutboxStore } from './alert-webhook-outbox.store';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';

/** What a rule needs for a firing: who owns it, where it goes, how it reads. */
export type FiringRule = Pick<
  AlertRule,
  | 'id'
  | 'ownerKeyId'
  | 'instrument'
  | 'instrument2'
  | 'condition'
  | 'webhookUrl'
  | 'webhookSecret'
  | 'message'
>;

export interface FireRequest {
  rule: FiringRule;
  value: number;
  /** The state change; null for a test event (no state, no version check). */
  write: FireWrite | null;
  at: Date;
  /**
   * A built-in rule's firing: the event keeps its severity and payload, and
   * goes out on its own broadcast channel (volatility_alert, correlation_alert
   * to the pairs' rooms) instead of alert_triggered (no key owns it).
   */
  builtin?: { severity: Severity; broadcast: BuiltinBroadcast };
}

/** Standard Webhooks' recommended envelope: type, timestamp, data. */
export function webhookBody(event: AlertEvent): string {
  return JSON.stringify({
    type: event.test ? 'alert.test' : 'alert.triggered',
    timestamp: event.triggeredAt.toISOString(),
    data: {
      event_id: event.id,
      rule_id: event.ruleId,
      instrument: event.instrument,
      condition: event.condition,
      value: event.value,
      message: event.message,
      triggered_at: event.triggeredAt.toISOString(),
      test: event.test,
    },
  });
}

export const labelOf = (rule: Pick<AlertRule, 'instrument' | 'instrument2'>): string =>
  rule.instrument2 ? `${rule.instrument}/${rule.instrument2}` : rule.instrument;

/**
 * A firing, exactly once: the rule's state change (checked against the
 * version the evaluator saw), the history row and the webhook's outbox row
 * commit together or not at all. Then, outside the transaction, the owner's
 * sockets hear it (through pub/sub, so whichever instance they are on) and
 * the delivery worker is woken.
 */
@Injectable()
export class AlertFiring {
  private readonly logger = new Logger(AlertFiring.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly rules: AlertRulesStore,
    private readonly events: AlertEventsStore,
    private readonly outbox: AlertWebhookOutboxStore,
    private readonly publisher: EventPublisher,
    private readonly metrics: PrometheusService,
    private readonly worker: WebhookDeliveryWorker,
    private readonly config: AppConfig,
  ) {}

  /** Fires in one transaction; returns the events written and the rule ids whose version no longer matched. */
  async fire(requests: readonly FireRequest[]): Promise<{ fired: AlertEvent[]; stale: string[] }> {
    if (requests.length === 0) return { fired: [], stale: [] };
    const fired: AlertEvent[] = [];
    const broadcasts: BuiltinBroadcast[] = [];
    const stale: string[] = [];
    await this.dataSource.transaction(async (tx) => {
      for (const request of requests) {
        if (request.write && !(await this.rules.markFired(tx, request.write))) {
          stale.push(request.rule.id);
          continue;
        }
        const event = this.eventOf(request);
        await this.events.insert(tx, event);
        if (request.rule.webhookUrl && request.rule.webhookSecret) {
          await this.outbox.insert(tx, {
            eventId: event.id,
            url: request.rule.webhookUrl,
            secret: request.rule.webhookSecret,
            body: webhookBody(event),
            nextAttemptAt: event.triggeredAt,
            giveUpAt: new Date(event.triggeredAt.getTime() + this.config.alerts.retryWindowMs),
          });
        }
        fired.push(event);
        if (request.builtin) broadcasts.push(request.builtin.broadcast);
      }
    });
    for (const event of fired) {
      this.metrics.recordAlertEvent(event.condition.type);
      if (event.severity !== null) continue;
      void this.publisher.publish(CHANNELS.alertTriggered, {
        owner_key_id: event.ownerKeyId,
        event: toSocketEvent(event),
      });
    }
    // Awaited, as the feature steps that raised these before did: when the job ends they are out.
    for (const b of broadcasts) await this.broadcast(b);
    if (fired.some((e) => e.deliveryStatus === 'pending')) this.worker.nudge();
    if (stale.length)
      this.logger.debug(`${stale.length} firing(s) skipped: the rule changed meanwhile`);
    return { fired, stale };
  }

  private async broadcast(b: BuiltinBroadcast): Promise<void> {
    if (b.channel === 'volatility_alerts')
      await this.publisher.publish(CHANNELS.volatilityAlerts, b.payload);
    else await this.publisher.publish(CHANNELS.correlationAlerts, b.payload);
  }

  private eventOf(request: FireRequest): AlertEvent {
    const { rule, value, at } = request;
    const instrument = labelOf(rule);
    const condition: Condition = rule.condition;
    const fallback =
      request.builtin?.broadcast.payload.message ?? describeFiring(instrument, condition, value);
    const event = new AlertEvent();
    Object.assign(event, {
      id: randomUUID(),
      ruleId: rule.id,
      ownerKeyId: rule.ownerKeyId,
      instrument,
      condition,
      value,
      message: request.write
        ? renderMessage(rule.message, { instrument, value, condition, fallback })
        : `Test: ${fallback}`,
      triggeredAt: at,
      test: request.write === null,
      deliveryStatus: rule.webhookUrl ? 'pending' : 'none',
      attempts: 0,
      lastError: null,
      deliveredAt: null,
      severity: request.builtin?.severity ?? null,
      details: request.builtin ? { ...request.builtin.broadcast.payload } : null,
    });
    return event;
  }
}

export function toSocketEvent(event: AlertEvent): AlertTriggeredEvent {
  return {
    rule_id: event.ruleId,
    instrument: event.instrument,
    condition: { ...event.condition },
    value: event.value,
    message: event.message,
    triggered_at: event.triggeredAt.toISOString(),
  };
}
