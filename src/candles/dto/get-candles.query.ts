import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
} from 'class-validator';
import { PRICE_PATTERN } from '../candle-format';
import { GRANULARITIES, type Granularity } from '../granularity';
import { parseUtcTime } from '../utc-time';

export const MAX_CANDLE_LIMIT = 5000;
export const DEFAULT_CANDLE_LIMIT = 500;

/** An ISO-8601 date or date-time (a time without zone is UTC); the 400 names the field. */
export function IsUtcTime(): PropertyDecorator {
  return ValidateBy({
    name: 'isUtcTime',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseUtcTime(value) !== undefined,
      defaultMessage: (args) =>
        `${args?.property ?? 'value'} must be an ISO-8601 date or time such as 2026-03-02T10:00:00Z`,
    },
  });
}

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

export class GetCandlesQuery {
  @ApiPropertyOptional({ enum: GRANULARITIES, default: 'H1', example: 'H1' })
  @IsOptional()
  @IsIn(GRANULARITIES, { message: `granularity must be one of ${GRANULARITIES.join(', ')}` })
  granularity?: Granularity;

  @ApiPropertyOptional({
    description: 'Earliest candle open time, inclusive (ISO-8601, UTC if no zone)',
    example: '2026-03-02T00:00:00Z',
  })
  @IsOptional()
  @IsUtcTime()
  from?: string;

  @ApiPropertyOptional({
    description: 'Latest candle open time, inclusive (ISO-8601, UTC if no zone)',
    example: '2026-03-06T21:00:00Z',
  })
  @IsOptional()
  @IsUtcTime()
  to?: string;

  @ApiPropertyOptional({
    description: `Candles per page, 1..${MAX_CANDLE_LIMIT} (default ${DEFAULT_CANDLE_LIMIT}). With format=csv it caps the export only when given.`,
    minimum: 1,
    maximum: MAX_CANDLE_LIMIT,
    default: DEFAULT_CANDLE_LIMIT,
    example: 500,
  })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: `limit must be between 1 and ${MAX_CANDLE_LIMIT}` })
  @Max(MAX_CANDLE_LIMIT, { message: `limit must be between 1 and ${MAX_CANDLE_LIMIT}` })
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
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format?: 'json' | 'csv';
}
