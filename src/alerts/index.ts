/** The alerts feature's public surface: what other folders may import. */
export { AlertsModule } from './alerts.module';
export { AlertRulesService } from './alert-rules.service';
export { AlertFiring } from './alert-firing.service';
export { PriceAlertEvaluator } from './price-alert.evaluator';
export { WebhookDeliveryWorker } from './webhook-delivery.worker';
export { verifyWebhook, signWebhook } from './webhook-signature';
export { AlertRule } from './alert-rule.entity';
export { AlertEvent } from './alert-event.entity';
export { AlertWebhookOutbox } from './alert-webhook-outbox.entity';
