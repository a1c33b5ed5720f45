import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { bigintNumber, exactDecimal } from '../database/transformers';

const price = () => Column({ type: 'numeric', transformer: exactDecimal });

/** One OHLC candle with bid, ask and mid components; prices are exact decimal strings. */
@Entity('oanda_candles')
@Unique('uq_oanda_candles_instrument_time_granularity', ['instrument', 'time', 'granularity'])
@Index('ix_oanda_candles_instrument_time', ['instrument', 'time'])
export class Candle {
  @PrimaryColumn({ type: 'bigint', generated: 'identity', transformer: bigintNumber })
  id!: number;

  @Column({ type: 'varchar', length: 16 })
  instrument!: string;

  /** Candle open time, UTC. */
  @Column({ type: 'timestamptz' })
  time!: Date;

  @Column({ type: 'varchar', length: 4, default: 'H1' })
  granularity!: string;

  @price() bidOpen!: string;
  @price() bidHigh!: string;
  @price() bidLow!: string;
  @price() bidClose!: string;
  @price() askOpen!: string;
  @price() askHigh!: string;
  @price() askLow!: string;
  @price() askClose!: string;
  @price() midOpen!: string;
  @price() midHigh!: string;
  @price() midLow!: string;
  @price() midClose!: string;

  @Column({ type: 'integer', default: 0 })
  volume!: number;

  @Column({ type: 'boolean', default: true })
  complete!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
