import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber, nullableDouble } from '../platform/database';
import type { Condition, ConditionType, Frequency, PriceComponent } from './alert-conditions';

/**
 * A user's alert rule plus its evaluation state (see the Alerts migration),
 * or a built-in rule (`builtin` set, owned by SYSTEM_OWNER; see builtin-rules.ts).
 */
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
  /** Built-in rules only: 'volatility:EUR_USD', 'correlation:EUR_USD|GBP_USD'; null for a key's rule. */
  @Column({ type: 'varchar', length: 64, nullable: true }) builtin!: string | null;
  /** Built-in rules: id of the newest source row (volatility_metrics, correlation_matrix) judged. */
  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  stateWatermark!: number | null;
  /** Built-in rules: the data time (candle, calculation day) of the last firing; cooldowns run on it. */
  @Column({ type: 'timestamptz', nullable: true }) stateClock!: Date | null;
}
