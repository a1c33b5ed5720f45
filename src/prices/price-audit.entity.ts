import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, exactDecimal } from '../platform/database';

/** Live prices, sampled (PRICE_AUDIT_INTERVAL_MS) and kept AUDIT_RETENTION_HOURS for audit and replay. */
@Entity('real_time_prices_audit')
@Index('ix_real_time_prices_audit_instrument_timestamp', ['instrument', 'timestamp'])
@Index('ix_real_time_prices_audit_timestamp', ['timestamp'])
export class PriceAudit {
  @PrimaryColumn({ type: 'bigint', generated: 'identity', transformer: bigintNumber })
  id!: number;

  @Column({ type: 'varchar', length: 20 })
  instrument!: string;

  @Column({ type: 'numeric', transformer: exactDecimal })
  bid!: string;

  @Column({ type: 'numeric', transformer: exactDecimal })
  ask!: string;

  @Column({ type: 'numeric', transformer: exactDecimal })
  mid!: string;

  /** Part of the primary key: the table is partitioned by hour on it (see audit-partitions.ts). */
  @PrimaryColumn({ type: 'timestamptz' })
  timestamp!: Date;
}
