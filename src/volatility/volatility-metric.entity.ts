import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { bigintNumber, nullableDouble } from '../platform/database';

const metric = () =>
  Column({ type: 'double precision', nullable: true, transformer: nullableDouble });

/** Indicators for one instrument at one candle time; NULL where history was too short. */
@Entity('volatility_metrics')
@Unique('unique_volatility', ['instrument', 'time'])
export class VolatilityMetric {
  @PrimaryColumn({ type: 'bigint', generated: 'identity', transformer: bigintNumber })
  id!: number;

  @Column({ type: 'varchar', length: 20 })
  instrument!: string;

  @Index('ix_volatility_metrics_time')
  @Column({ type: 'timestamptz' })
  time!: Date;

  @metric() volatility20!: number | null;
  @metric() volatility50!: number | null;
  @metric() sma15!: number | null;
  @metric() sma20!: number | null;
  @metric() sma30!: number | null;
  @metric() sma50!: number | null;
  @metric() ema12!: number | null;
  @metric() ema26!: number | null;
  @metric() bbUpper!: number | null;
  @metric() bbMiddle!: number | null;
  @metric() bbLower!: number | null;
  @metric() atr!: number | null;
  @metric() rsi14!: number | null;
  @metric() macd!: number | null;
  @metric() macdSignal!: number | null;
  @metric() macdHistogram!: number | null;
  @metric() stochK!: number | null;
  @metric() stochD!: number | null;
  @metric() williamsR!: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
