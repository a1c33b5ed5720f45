import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../platform/config';
import { JobRegistry } from '../jobs';
import { PriceTickHooks } from '../prices';
import { AlertEventsStore } from './alert-events.store';
import { AlertRulesStore } from './alert-rules.store';
import { AlertWebhookOutboxStore } from './alert-webhook-outbox.store';
import { JobAlertEvaluator } from './job-alert.evaluator';
import { PriceAlertEvaluator } from './price-alert.evaluator';

const DAY_MS = 86_400_000;

/**
 * Plugs alerts into the shared machinery: price rules on the leader's ticks,
 * indicator rules after the hourly `metrics` step (order 20), correlation
 * rules after the daily `correlation` step (order 10), and the alert history
 * in the retention job.
 */
@Injectable()
export class AlertRegistrations implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly ticks: PriceTickHooks,
    private readonly prices: PriceAlertEvaluator,
    private readonly jobs: JobAlertEvaluator,
    private readonly rules: AlertRulesStore,
    private readonly events: AlertEventsStore,
    private readonly outbox: AlertWebhookOutboxStore,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.ticks.register({
      name: 'alerts',
      leading: () => this.prices.leading(),
      tick: (tick) => this.prices.tick(tick),
      stepDown: () => this.prices.stepDown(),
    });
    this.registry.register({
      job: 'hourly',
      name: 'alerts',
      order: 30,
      run: (ctx) =>
        ctx.options.dryRun
          ? Promise.resolve({ recordsProcessed: 0, details: { dry_run: true } })
          : this.jobs.indicators(ctx.options.instruments, ctx.signal),
    });
    this.registry.register({
      job: 'daily-correlation',
      name: 'alerts',
      order: 15,
      run: (ctx) =>
        ctx.options.dryRun
          ? Promise.resolve({ recordsProcessed: 0, details: { dry_run: true } })
          : this.jobs.correlation(ctx.signal),
    });
    this.registry.register({
      job: 'retention',
      name: 'alerts',
      order: 30,
      run: async (ctx) => {
        const cutoff = new Date(ctx.startedAt.getTime() - this.config.alerts.historyDays * DAY_MS);
        if (ctx.options.dryRun)
          return { recordsProcessed: 0, details: { dry_run: true, cutoff: cutoff.toISOString() } };
        const events = await this.events.purgeBefore(cutoff);
        const outbox = await this.outbox.purgeBefore(cutoff);
        const rules = await this.rules.purgeBefore(cutoff);
        return {
          recordsProcessed: events + outbox + rules,
          details: {
            cutoff: cutoff.toISOString(),
            alert_events: events,
            alert_webhook_outbox: outbox,
            expired_rules: rules,
          },
        };
      },
    });
  }
}
