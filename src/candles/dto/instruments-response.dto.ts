import { ApiProperty } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { QueryEnum } from '../../platform/validation';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { GRANULARITIES, type Granularity } from '../../platform/time';

export class GetInstrumentsQuery {
  @ApiPropertyOptional({
    enum: GRANULARITIES,
    default: 'H1',
    description: 'Granularity the stored-candle statistics refer to',
    example: 'H1',
  })
  @IsOptional()
  @QueryEnum(GRANULARITIES)
  granularity?: Granularity;
}

export class InstrumentDto {
  @ApiProperty({ example: 'EUR_USD' }) name!: string;
  @ApiProperty({ example: 'EUR/USD' }) display_name!: string;
  @ApiProperty({ example: 'EUR' }) base!: string;
  @ApiProperty({ example: 'USD' }) quote!: string;
  @ApiProperty({ description: 'Decimals to show prices with', example: 5 })
  display_precision!: number;
  @ApiProperty({ description: 'Power of ten of one pip', example: -4 }) pip_location!: number;
  @ApiProperty({ description: '10^pip_location', example: 0.0001 }) pip_size!: number;
  @ApiProperty({ description: 'Stored candles of the requested granularity', example: 6257 })
  candle_count!: number;
  @ApiProperty({ type: String, nullable: true, example: '2025-03-04T11:00:00.000Z' })
  first_candle!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-03-04T10:00:00.000Z' })
  last_candle!: string | null;
}

export class InstrumentsResponseDto {
  @ApiProperty({ example: 'H1' }) granularity!: string;
  @ApiProperty({ example: 1 }) count!: number;
  @ApiProperty({ type: [InstrumentDto] }) instruments!: InstrumentDto[];
}

export const INSTRUMENTS_EXAMPLE: InstrumentsResponseDto = {
  granularity: 'H1',
  count: 1,
  instruments: [
    {
      name: 'EUR_USD',
      display_name: 'EUR/USD',
      base: 'EUR',
      quote: 'USD',
      display_precision: 5,
      pip_location: -4,
      pip_size: 0.0001,
      candle_count: 6257,
      first_candle: '2025-03-04T11:00:00.000Z',
      last_candle: '2026-03-04T10:00:00.000Z',
    },
  ],
};
