import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CandlesModule } from '../candles';
import { CorrelationModule } from '../correlation';
import { PricesModule } from '../prices';
import { VolatilityModule } from '../volatility';
import { AlertEvent } from './alert-event.entity';
import { AlertEventsStore } from './alert-events.store';
import { AlertFiring } from './alert-firing.service';
import { AlertRegistrations } from './alert-registrations';
import { AlertJobSteps } from './alerts.job-steps';
import { AlertRule } from './alert-rule.entity';
import { AlertRulesService } from './alert-rules.service';
import { AlertRulesStore } from './alert-rules.store';
import { AlertWebhookOutbox } from './alert-webhook-outbox.entity';
import { AlertWebhookOutboxStore } from './alert-webhook-outbox.store';
import { AlertsController } from './alerts.controller';
import { BuiltinAlertEvaluator } from './builtin-alert.evaluator';
import { BuiltinRulesRegistrar } from './builtin-rules.registrar';
import { JobAlertEvaluator } from './job-alert.evaluator';
import { PriceAlertEvaluator } from './price-alert.evaluator';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';

/**
 * Alert rules: users' rules (REST, evaluation on ticks, hourly and daily,
 * history, signed webhooks) and the built-in volatility and correlation rules
 * configured by the settings, evaluated by the same jobs' steps.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([AlertRule, AlertEvent, AlertWebhookOutbox]),
    PricesModule,
    CandlesModule,
    VolatilityModule,
    CorrelationModule,
  ],
  controllers: [AlertsController],
  providers: [
    AlertRulesStore,
    AlertEventsStore,
    AlertWebhookOutboxStore,
    AlertFiring,
    WebhookDeliveryWorker,
    PriceAlertEvaluator,
    JobAlertEvaluator,
    BuiltinRulesRegistrar,
    BuiltinAlertEvaluator,
    AlertRulesService,
    AlertRegistrations,
    AlertJobSteps,
  ],
  exports: [AlertRulesService, AlertFiring, PriceAlertEvaluator, WebhookDeliveryWorker],
})
export class AlertsModule {}
