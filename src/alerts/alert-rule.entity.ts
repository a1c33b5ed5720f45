import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber, nullableDouble } from '../platform/database';
import type { Condition, ConditionType, Frequency, PriceComponent } from './alert-conditions';

/** A user's alert rule plus its evaluation state (see the Alerts migration). */
@Entity('alert_rules')
export class AlertRule {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'bigint', transformer: bigintNumber }) ownerKeyId!: number;
  @Column({ type: 'varchar', length: 16 }) instrument!: string;
  @Column({ type: 'varchar', length: 16, name: 'instrument2', nullable: true })
  instrument2!: string | null;
  @Column({ type: 'varchar', length: 32 }) conditionType!: ConditionType;
  @Column({ type: 'jsonb' }) condition!: Condition;
  @Column({ type: 'varchar', length: 3 }) priceComponent!: PriceComponent;
  @Column({ type: 'varchar', length: 16 }) frequency!: Frequency;
  @Column({ type: 'integer' }) cooldownSeconds!: number;
  @Column({ type: 'double precision' }) hysteresis!: number;
  @Column({ type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  @Column({ type: 'text', nullable: true }) webhookUrl!: string | null;
  /** Needed to sign every delivery, so kept (unlike API keys); never returned after creation. */
  @Column({ type: 'text', nullable: true }) webhookSecret!: string | null;
  @Column({ type: 'text', nullable: true }) message!: string | null;
  @Column({ type: 'boolean' }) active!: boolean;
  @Column({ type: 'timestamptz' }) createdAt!: Date;
  @Column({ type: 'timestamptz' }) updatedAt!: Date;
  @Column({ type: 'smallint', nullable: true }) stateSide!: -1 | 1 | null;
  @Column({ type: 'double precision', nullable: true, transformer: nullableDouble })
  stateValue!: number | null;
  @Column({ type: 'bigint', transformer: bigintNumber }) stateVersion!: number;
  @Column({ type: 'timestamptz', nullable: true }) lastTriggeredAt!: Date | null;
  @Column({ type: 'integer' }) triggerCount!: number;
}
