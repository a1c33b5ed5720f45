import { ApiProperty } from '@nestjs/swagger';
import { METRIC_COLUMNS, type MetricColumn, type MetricColumns } from '../indicators';
import type { VolatilityMetric } from '../volatility-metric.entity';

/** One instrument's indicators at one candle, as the API and the cache carry them. */
export class VolatilityMetricDto {
  @ApiProperty({ example: 'EUR_USD' }) instrument!: string;
  @ApiProperty({ example: '2026-03-10T14:00:00.000Z', description: 'Candle open time (UTC)' })
  time!: string;
  @ApiProperty({
    nullable: true,
    example: 0.0712,
    description: 'Annualised sample std of the last 20 hourly log returns',
  })
  volatility_20!: number | null;
  @ApiProperty({
    nullable: true,
    example: 0.0654,
    description: 'Annualised sample std of the last 50 hourly log returns',
  })
  volatility_50!: number | null;
  @ApiProperty({ nullable: true, example: 1.08512 }) sma_15!: number | null;
  @ApiProperty({ nullable: true, example: 1.08498 }) sma_20!: number | null;
  @ApiProperty({ nullable: true, example: 1.08471 }) sma_30!: number | null;
  @ApiProperty({ nullable: true, example: 1.0843 }) sma_50!: number | null;
  @ApiProperty({
    nullable: true,
    example: 1.08519,
    description: 'Seeded with the SMA of the first 12 closes',
  })
  ema_12!: number | null;
  @ApiProperty({ nullable: true, example: 1.08476 }) ema_26!: number | null;
  @ApiProperty({
    nullable: true,
    example: 1.08691,
    description: 'sma_20 + 2 x population std of the last 20 closes',
  })
  bb_upper!: number | null;
  @ApiProperty({ nullable: true, example: 1.08498 }) bb_middle!: number | null;
  @ApiProperty({ nullable: true, example: 1.08305 }) bb_lower!: number | null;
  @ApiProperty({ nullable: true, example: 0.00094, description: 'ATR(14), Wilder' })
  atr!: number | null;
  @ApiProperty({ nullable: true, example: 56.3, description: 'RSI(14), Wilder; 0 when flat' })
  rsi_14!: number | null;
  @ApiProperty({
    nullable: true,
    example: 0.00021,
    description: 'MACD(12,26) line, TA-Lib seeding',
  })
  macd!: number | null;
  @ApiProperty({ nullable: true, example: 0.00015 }) macd_signal!: number | null;
  @ApiProperty({ nullable: true, example: 0.00006 }) macd_histogram!: number | null;
  @ApiProperty({ nullable: true, example: 71.4, description: 'Slow stochastic %K (14,3)' })
  stoch_k!: number | null;
  @ApiProperty({ nullable: true, example: 64.9, description: 'Slow stochastic %D (3)' })
  stoch_d!: number | null;
  @ApiProperty({
    nullable: true,
    example: -22.1,
    description: 'Williams %R(14), -100..0; 0 for a flat window',
  })
  williams_r!: number | null;
}

export class VolatilityListDto {
  @ApiProperty({ example: 20 }) count!: number;
  @ApiProperty({ type: [VolatilityMetricDto] }) metrics!: VolatilityMetricDto[];
  @ApiProperty({ example: ['USD_TRY'], description: 'Tracked instruments with no metrics yet' })
  missing!: string[];
}

export class VolatilityHistoryDto {
  @ApiProperty({ example: 'EUR_USD' }) instrument!: string;
  @ApiProperty({ type: VolatilityMetricDto, nullable: true }) latest!: VolatilityMetricDto | null;
  @ApiProperty({ example: 100 }) count!: number;
  @ApiProperty({ type: [VolatilityMetricDto], description: 'Newest first' })
  history!: VolatilityMetricDto[];
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** From freshly computed columns (row `index`). */
export function metricFromColumns(
  instrument: string,
  timeMs: number,
  columns: MetricColumns,
  index: number,
): VolatilityMetricDto {
  const dto = { instrument, time: new Date(timeMs).toISOString() } as VolatilityMetricDto;
  for (const column of METRIC_COLUMNS) dto[column] = finiteOrNull(columns[column][index]);
  return dto;
}

const ENTITY_PROPERTY: Readonly<Record<MetricColumn, keyof VolatilityMetric>> = {
  volatility_20: 'volatility20',
  volatility_50: 'volatility50',
  sma_15: 'sma15',
  sma_20: 'sma20',
  sma_30: 'sma30',
  sma_50: 'sma50',
  ema_12: 'ema12',
  ema_26: 'ema26',
  bb_upper: 'bbUpper',
  bb_middle: 'bbMiddle',
  bb_lower: 'bbLower',
  atr: 'atr',
  rsi_14: 'rsi14',
  macd: 'macd',
  macd_signal: 'macdSignal',
  macd_histogram: 'macdHistogram',
  stoch_k: 'stochK',
  stoch_d: 'stochD',
  williams_r: 'williamsR',
};

/** From a stored row. */
export function metricFromEntity(row: VolatilityMetric): VolatilityMetricDto {
  const dto = {
    instrument: row.instrument,
    time: new Date(row.time).toISOString(),
  } as VolatilityMetricDto;
  for (const column of METRIC_COLUMNS) dto[column] = row[ENTITY_PROPERTY[column]] as number | null;
  return dto;
}
