import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { QueryCalendarDate, QueryInt } from '../../platform/validation';
import { BEST_PAIR_CATEGORIES, type BestPairCategory } from '../categorise';
import { INSTRUMENT_PATTERN } from '../../platform/config';

/** Largest window a query may name; only the configured CORRELATION_WINDOWS are then accepted. */
export const MAX_CORRELATION_WINDOW = 100_000;

const instrumentMessage = (field: string): string =>
  `${field} must be an instrument like EUR_USD (three letters, underscore, three letters)`;

export class CorrelationMatrixQuery {
  @ApiPropertyOptional({
    example: 100,
    description:
      'Correlation window in hourly returns (CORRELATION_WINDOWS, default the first: 100)',
  })
  @IsOptional()
  @QueryInt({ min: 1, max: MAX_CORRELATION_WINDOW })
  window?: number;

  @ApiPropertyOptional({
    example: '2026-03-10',
    description: 'Calculation date (UTC); default the newest',
  })
  @IsOptional()
  @QueryCalendarDate()
  date?: string;
}

export class CorrelationPairQuery {
  @ApiProperty({ example: 'EUR_USD' })
  @Matches(INSTRUMENT_PATTERN, { message: instrumentMessage('pair1') })
  pair1!: string;

  @ApiProperty({ example: 'USD_CHF' })
  @Matches(INSTRUMENT_PATTERN, { message: instrumentMessage('pair2') })
  pair2!: string;

  @ApiPropertyOptional({
    example: 100,
    description: 'Correlation window (default the first configured: 100)',
  })
  @IsOptional()
  @QueryInt({ min: 1, max: MAX_CORRELATION_WINDOW })
  window?: number;

  @ApiPropertyOptional({
    example: 30,
    default: 30,
    minimum: 1,
    maximum: 3660,
    description: 'Days of history',
  })
  @IsOptional()
  @QueryInt({ min: 1, max: 3660 })
  limit?: number;
}

export class CorrelationMatrixDto {
  @ApiProperty({
    example: ['EUR_USD', 'GBP_USD', 'USD_CHF'],
    description: 'Row/column order of `matrix`',
  })
  instruments!: string[];

  @ApiProperty({
    example: [
      [1, 0.58, -0.81],
      [0.58, 1, -0.49],
      [-0.81, -0.49, 1],
    ],
    description: 'Symmetric, 1 on the diagonal, null where unknown (too little history)',
    type: 'array',
    items: { type: 'array', items: { type: 'number', nullable: true } },
  })
  matrix!: Array<Array<number | null>>;

  @ApiProperty({ example: 100 }) window!: number;
  @ApiProperty({ example: '2026-03-10', description: 'Calculation date (UTC)' }) date!: string;
  @ApiProperty({ example: '2026-03-10T00:00:04.120Z' }) calculated_at!: string;
}

export class CorrelationPointDto {
  @ApiProperty({ example: '2026-03-10' }) date!: string;
  @ApiProperty({ example: -0.81, nullable: true }) correlation!: number | null;
  @ApiProperty({ example: 100, description: 'Returns used (the window, or fewer when unknown)' })
  sample_size!: number;
  @ApiProperty({ example: '2026-03-10T00:00:04.120Z' }) calculated_at!: string;
}

export class CorrelationLatestDto extends CorrelationPointDto {
  @ApiProperty({ enum: BEST_PAIR_CATEGORIES, nullable: true, example: 'negatively_correlated' })
  category!: BestPairCategory | null;
}

export class CorrelationPairDto {
  @ApiProperty({ example: 'EUR_USD' }) pair1!: string;
  @ApiProperty({ example: 'USD_CHF' }) pair2!: string;
  @ApiProperty({ example: 100 }) window!: number;
  @ApiProperty({ type: CorrelationLatestDto }) latest!: CorrelationLatestDto;
  @ApiProperty({ type: [CorrelationPointDto], description: 'Newest first' })
  history!: CorrelationPointDto[];
}
