import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { bigintNumber, nullableDouble } from '../platform/database';

/** Pearson correlation of hourly log returns for one unordered pair (pair1 < pair2). */
@Entity('correlation_matrix')
@Unique('unique_correlation', ['pair1', 'pair2', 'time', 'windowSize'])
@Index('ix_correlation_matrix_time_window', ['time', 'windowSize'])
export class Correlation {
  @PrimaryColumn({ type: 'bigint', generated: 'identity', transformer: bigintNumber })
  id!: number;

  @Column({ name: 'pair1', type: 'varchar', length: 20 })
  pair1!: string;

  @Column({ name: 'pair2', type: 'varchar', length: 20 })
  pair2!: string;

  /** Calculation date (UTC day the matrix stands for), 'YYYY-MM-DD'. */
  @Column({ type: 'date' })
  time!: string;

  @Column({ type: 'double precision', nullable: true, transformer: nullableDouble })
  correlation!: number | null;

  @Column({ type: 'integer', default: 100 })
  windowSize!: number;

  /** Number of common log returns actually used (== windowSize unless history was short). */
  @Column({ type: 'integer', nullable: true })
  sampleSize!: number | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  calculatedAt!: Date;
}
