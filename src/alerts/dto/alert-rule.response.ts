import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONDITION_TYPES, FREQUENCIES, PRICE_COMPONENTS } from '../alert-conditions';
import { DELIVERY_STATUSES } from '../alert-event.entity';
import type { AlertEvent } from '../alert-event.entity';
import type { AlertRule } from '../alert-rule.entity';

export class AlertRuleDto {
  @ApiProperty({ example: '0b9f6c1e-4a51-4d1e-9c43-6f2f5b1c9a10' }) id!: string;
  @ApiPropertyOptional({ example: 'EUR_USD', description: 'Price and indicator rules' })
  instrument?: string;
  @ApiPropertyOptional({ example: ['EUR_USD', 'USD_CHF'], description: 'Correlation rules' })
  instruments?: [string, string];
  @ApiProperty({
    example: { type: 'price_cross_above', level: 1.095 },
    description: `type (${CONDITION_TYPES.join(', ')}) and its parameters`,
  })
  condition!: Record<string, unknown>;
  @ApiProperty({ enum: PRICE_COMPONENTS, example: 'mid' }) price!: string;
  @ApiProperty({ enum: FREQUENCIES, example: 'once_per_bar' }) frequency!: string;
  @ApiProperty({ example: 0 }) cooldown_seconds!: number;
  @ApiProperty({ example: 0.0001 }) hysteresis!: number;
  @ApiProperty({ type: String, nullable: true, example: null }) expires_at!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'https://example.com/hooks/fx' })
  webhook_url!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) message!: string | null;
  @ApiProperty({ example: true }) active!: boolean;
  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' }) created_at!: string;
  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' }) updated_at!: string;
  @ApiProperty({ type: String, nullable: true, example: null }) last_triggered_at!: string | null;
  @ApiProperty({ example: 0 }) trigger_count!: number;

  static from(rule: AlertRule): AlertRuleDto {
    return {
      id: rule.id,
      ...(rule.instrument2
        ? { instruments: [rule.instrument, rule.instrument2] }
        : { instrument: rule.instrument }),
      condition: { ...rule.condition },
      price: rule.priceComponent,
      frequency: rule.frequency,
      cooldown_seconds: rule.cooldownSeconds,
      hysteresis: rule.hysteresis,
      expires_at: rule.expiresAt?.toISOString() ?? null,
      webhook_url: rule.webhookUrl,
      message: rule.message,
      active: rule.active,
      created_at: rule.createdAt.toISOString(),
      updated_at: rule.updatedAt.toISOString(),
      last_triggered_at: rule.lastTriggeredAt?.toISOString() ?? null,
      trigger_count: rule.triggerCount,
    };
  }
}

export class CreatedAlertRuleDto extends AlertRuleDto {
  @ApiPropertyOptional({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description:
      'Signs the webhooks (Standard Webhooks). Shown in this response only, when the rule has a webhook_url',
  })
  webhook_secret?: string;
}

export class AlertRuleListDto {
  @ApiProperty({ example: 1 }) count!: number;
  @ApiProperty({ example: 200, description: 'ALERT_RULES_PER_KEY' }) limit!: number;
  @ApiProperty({ type: [AlertRuleDto] }) rules!: AlertRuleDto[];
}

export class AlertEventDto {
  @ApiProperty({
    example: '5d1c7c1e-2b9a-4f7e-8a43-1f2e3d4c5b6a',
    description: 'Also the webhook-id header',
  })
  id!: string;
  @ApiProperty({ example: '0b9f6c1e-4a51-4d1e-9c43-6f2f5b1c9a10' }) rule_id!: string;
  @ApiProperty({ example: 'EUR_USD', description: 'PAIR1/PAIR2 for correlation rules' })
  instrument!: string;
  @ApiProperty({ example: { type: 'price_cross_above', level: 1.095 } }) condition!: Record<
    string,
    unknown
  >;
  @ApiProperty({ example: 1.09503 }) value!: number;
  @ApiProperty({ example: 'EUR_USD crossed above 1.095 (1.09503)' }) message!: string;
  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' }) triggered_at!: string;
  @ApiProperty({ example: false, description: 'Sent by POST /alerts/{id}/test' }) test!: boolean;
  @ApiProperty({
    enum: DELIVERY_STATUSES,
    example: 'delivered',
    description: 'Webhook delivery; none without a webhook',
  })
  delivery_status!: string;
  @ApiProperty({ example: 1 }) attempts!: number;
  @ApiProperty({ type: String, nullable: true, example: null }) last_error!: string | null;

  static from(event: AlertEvent): AlertEventDto {
    return {
      id: event.id,
      rule_id: event.ruleId,
      instrument: event.instrument,
      condition: { ...event.condition },
      value: event.value,
      message: event.message,
      triggered_at: event.triggeredAt.toISOString(),
      test: event.test,
      delivery_status: event.deliveryStatus,
      attempts: event.attempts,
      last_error: event.lastError,
    };
  }
}

export class AlertEventPageDto {
  @ApiProperty({ example: 1 }) count!: number;
  @ApiProperty({ type: [AlertEventDto] }) events!: AlertEventDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Pass as `cursor` for the next (older) page',
  })
  next_cursor!: string | null;
}

export class BuiltinAlertRuleDto extends AlertRuleDto {
  @ApiProperty({
    example: 'volatility:EUR_USD',
    description: 'volatility:<INSTRUMENT> or correlation:<PAIR1>|<PAIR2>',
  })
  builtin!: string;

  static fromBuiltin(rule: AlertRule): BuiltinAlertRuleDto {
    return { ...AlertRuleDto.from(rule), builtin: rule.builtin ?? '' };
  }
}

export class BuiltinAlertRuleListDto {
  @ApiProperty({ example: 210 }) count!: number;
  @ApiProperty({ type: [BuiltinAlertRuleDto] }) rules!: BuiltinAlertRuleDto[];
}

export class BuiltinAlertEventDto extends AlertEventDto {
  @ApiProperty({ enum: ['warning', 'critical'], example: 'warning' }) severity!: string;
  @ApiProperty({
    example: {
      instrument: 'EUR_USD',
      volatility: 0.0712,
      threshold: 1.5,
      severity: 'warning',
      message: 'EUR_USD volatility is 1.59x its 50-hour level (...) at 2026-11-25T09:00:00.000Z',
      timestamp: '2026-11-25T10:00:03.120Z',
    },
    description: 'The volatility_alert or correlation_alert payload that went out',
  })
  details!: Record<string, unknown>;

  static fromBuiltin(event: AlertEvent): BuiltinAlertEventDto {
    return {
      ...AlertEventDto.from(event),
      severity: event.severity ?? 'warning',
      details: { ...(event.details ?? {}) },
    };
  }
}

export class BuiltinAlertEventPageDto {
  @ApiProperty({ example: 1 }) count!: number;
  @ApiProperty({ type: [BuiltinAlertEventDto] }) events!: BuiltinAlertEventDto[];
  @ApiProperty({ type: String, nullable: true, example: null }) next_cursor!: string | null;
}
