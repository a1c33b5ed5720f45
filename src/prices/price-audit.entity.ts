import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, exactDecimal } from '../database/transformers';

/** Every live tick received, kept for 24 h for audit and replay. */
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

  @Column({ type: 'timestamptz' })
  timestamp!: Date;
}
