import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { bigintNumber, nullableDouble } from '../platform/database';
import type { BestPairCategory } from '../correlation';

/** A categorised, ranked pair recommendation for one calculation day and window. */
@Entity('best_pairs_tracker')
@Unique('uq_best_pairs_time_window_pair', ['time', 'windowSize', 'pair1', 'pair2'])
@Index('ix_best_pairs_time_category_rank', ['time', 'category', 'rank'])
@Index('ix_best_pairs_tracker_category', ['category'])
export class BestPair {
  @PrimaryColumn({ type: 'bigint', generated: 'identity', transformer: bigintNumber })
  id!: number;

  @Column({ type: 'date' })
  time!: string;

  @Column({ name: 'pair1', type: 'varchar', length: 20 })
  pair1!: string;

  @Column({ name: 'pair2', type: 'varchar', length: 20 })
  pair2!: string;

  @Column({ type: 'double precision', transformer: nullableDouble })
  correlation!: number;

  @Column({ type: 'varchar', length: 32 })
  category!: BestPairCategory;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'integer' })
  rank!: number;

  @Column({ type: 'integer', default: 100 })
  windowSize!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  calculatedAt!: Date;
}
