import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../platform/database';
import type { CorrelationAlertEvent, Severity, VolatilityAlertEvent } from '../platform/pubsub';
import type { Condition } from './alert-conditions';

export const DELIVERY_STATUSES = ['none', 'pending', 'retrying', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One firing of a rule (or a test delivery): the history, and the webhook's delivery state. */
@Entity('alert_events')
export class AlertEvent {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'uuid' }) ruleId!: string;
  @Column({ type: 'bigint', transformer: bigintNumber }) ownerKeyId!: number;
  @Column({ type: 'varchar', length: 40 }) instrument!: string;
  @Column({ type: 'jsonb' }) condition!: Condition;
  @Column({ type: 'double precision' }) value!: number;
  @Column({ type: 'text' }) message!: string;
  @Column({ type: 'timestamptz' }) triggeredAt!: Date;
  @Column({ type: 'boolean' }) test!: boolean;
  @Column({ type: 'varchar', length: 16 }) deliveryStatus!: DeliveryStatus;
  @Column({ type: 'integer' }) attempts!: number;
  @Column({ type: 'text', nullable: true }) lastError!: string | null;
  @Column({ type: 'timestamptz', nullable: true }) deliveredAt!: Date | null;
  /** Built-in rules' events: warning | critical. */
  @Column({ type: 'varchar', length: 16, nullable: true }) severity!: Severity | null;
  /** Built-in rules' events: the payload their socket event carried (volatility_alert, correlation_alert). */
  @Column({ type: 'jsonb', nullable: true }) details!:
    VolatilityAlertEvent | CorrelationAlertEvent | null;
}
