import { Injectable } from '@nestjs/common';
import { AppConfig } from '../platform/config';
import { JobStep, type JobOutcome, type StepContext } from '../platform/jobs';
import { DAY_MS } from '../platform/time';
import { AlertEventsStore } from './alert-events.store';
import { AlertRulesStore } from './alert-rules.store';
import { AlertWebhookOutboxStore } from './alert-webhook-outbox.store';
import { JobAlertEvaluator } from './job-alert.evaluator';

const DRY_RUN: JobOutcome = { recordsProcessed: 0, details: { dry_run: true } };

/**
 * The alerts' steps in the scheduled jobs (their order is in
 * src/platform/config/job-definitions.ts): indicator rules after the hourly
 * `metrics` step, correlation rules after the daily job's analytics, and the
 * alert history in the retention job.
 */
@Injectable()
export class AlertJobSteps {
  constructor(
    private readonly jobs: JobAlertEvaluator,
    private readonly rules: AlertRulesStore,
    private readonly events: AlertEventsStore,
    private readonly outbox: AlertWebhookOutboxStore,
    private readonly config: AppConfig,
  ) {}

  @JobStep('hourly', 'alerts')
  indicators(ctx: StepContext): Promise<JobOutcome> {
    if (ctx.options.dryRun) return Promise.resolve(DRY_RUN);
    return this.jobs.indicators(ctx.options.instruments, ctx.signal);
  }

  @JobStep('daily-correlation', 'alerts')
  correlation(ctx: StepContext): Promise<JobOutcome> {
    if (ctx.options.dryRun) return Promise.resolve(DRY_RUN);
    return this.jobs.correlation(ctx.signal);
  }

  @JobStep('retention', 'alerts')
  async history(ctx: StepContext): Promise<JobOutcome> {
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
  }
}
