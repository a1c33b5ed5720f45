import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { QueryEnum, QueryInt, QueryIsoTime } from '../../platform/validation';
import { PRICE_PATTERN } from '../candle-format';
import { GRANULARITIES, type Granularity } from '../../platform/time';

export const MAX_CANDLE_LIMIT = 5000;
export const DEFAULT_CANDLE_LIMIT = 500;

export class GetCandlesQuery {
  @ApiPropertyOptional({ enum: GRANULARITIES, default: 'H1', example: 'H1' })
  @IsOptional()
  @QueryEnum(GRANULARITIES)
  granularity?: Granularity;

  @ApiPropertyOptional({
    description:
      'Earliest candle open time, inclusive (ISO-8601 with Z or an offset; a bare date is 00:00 UTC)',
    example: '2026-03-02T00:00:00Z',
  })
  @IsOptional()
  @QueryIsoTime()
  from?: string;

  @ApiPropertyOptional({
    description:
      'Latest candle open time, inclusive (ISO-8601 with Z or an offset; a bare date is 00:00 UTC)',
    example: '2026-03-06T21:00:00Z',
  })
  @IsOptional()
  @QueryIsoTime()
  to?: string;

  @ApiPropertyOptional({
    description: `Candles per page, 1..${MAX_CANDLE_LIMIT} (default ${DEFAULT_CANDLE_LIMIT}). With format=csv it caps the export only when given.`,
    minimum: 1,
    maximum: MAX_CANDLE_LIMIT,
    default: DEFAULT_CANDLE_LIMIT,
    example: 500,
  })
  @IsOptional()
  @QueryInt({ min: 1, max: MAX_CANDLE_LIMIT })
  limit?: number;

  @ApiPropertyOptional({
    description:
      "Opaque position from the previous response's next_cursor; pages continue after it",
    example: 'djE6MTc3MjQ0NjQwMDAwMA',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64, { message: 'cursor is invalid' })
  cursor?: string;

  @ApiPropertyOptional({
    description:
      'Price components in OANDA letters: M(id), B(id), A(sk), or a combination such as MBA',
    default: 'M',
    example: 'MBA',
  })
  @IsOptional()
  @Matches(PRICE_PATTERN, {
    message: 'price must be M, B, A or a combination in that order such as BA or MBA',
  })
  price?: string;

  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    default: 'json',
    description: 'csv streams every candle of the range (header row, prices exactly as stored)',
  })
  @IsOptional()
  @QueryEnum(['json', 'csv'])
  format?: 'json' | 'csv';
}
