import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A trading session. `openUtc`/`closeUtc` are the fixed UTC hours of the design
 * table; `localOpen`/`localClose` are the same hours in `timezone`, used by the
 * DST-aware view so the session follows its city's clock.
 */
@Entity('market_sessions')
export class MarketSession {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 32, unique: true })
  sessionName!: string;

  /** 'HH:MM:SS' */
  @Column({ type: 'time' })
  openUtc!: string;

  @Column({ type: 'time' })
  closeUtc!: string;

  /** IANA zone of the session's financial centre. */
  @Column({ type: 'varchar', length: 64 })
  timezone!: string;

  @Column({ type: 'time' })
  localOpen!: string;

  @Column({ type: 'time' })
  localClose!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ type: 'boolean', default: true })
  isActive!: boolean;
}
