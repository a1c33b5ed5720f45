import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { bigintNumber, exactDecimal } from '../platform/database';

/** The seed schema's column names (`open_bid`), behind the camelCase properties the code uses. */
const price = (name: string) => Column({ name, type: 'numeric', transformer: exactDecimal });

/** One OHLC candle with bid, ask and mid components; prices are exact decimal strings. */
@Entity('oanda_candles')
@Unique('unique_candle', ['instrument', 'time', 'granularity'])
@Index('ix_oanda_candles_instrument_time', ['instrument', 'time'])
@Index('ix_oanda_candles_time', ['time'])
export class Candle {
  @PrimaryColumn({ type: 'bigint', generated: 'identity', transformer: bigintNumber })
  id!: number;

  @Column({ type: 'varchar', length: 20 })
  instrument!: string;

  /** Candle open time, UTC. */
  @Column({ type: 'timestamptz' })
  time!: Date;

  @Column({ type: 'varchar', length: 5, default: 'H1' })
  granularity!: string;

  @price('open_bid') bidOpen!: string;
  @price('high_bid') bidHigh!: string;
  @price('low_bid') bidLow!: string;
  @price('close_bid') bidClose!: string;
  @price('open_ask') askOpen!: string;
  @price('high_ask') askHigh!: string;
  @price('low_ask') askLow!: string;
  @price('close_ask') askClose!: string;
  @price('open_mid') midOpen!: string;
  @price('high_mid') midHigh!: string;
  @price('low_mid') midLow!: string;
  @price('close_mid') midClose!: string;

  @Column({ type: 'integer', default: 0 })
  volume!: number;

  @Column({ type: 'boolean', default: true })
  complete!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
