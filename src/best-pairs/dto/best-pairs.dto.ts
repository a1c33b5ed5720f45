import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { MAX_CORRELATION_WINDOW } from '../../correlation';
import { QueryEnum, QueryInt } from '../../platform/validation';
import { BEST_PAIR_CATEGORIES, type BestPairCategory } from '../../correlation';

/** Most rows of one category the API (and the cache) serves. */
export const MAX_BEST_PAIRS_LIMIT = 100;

export class BestPairsQuery {
  @ApiPropertyOptional({
    enum: BEST_PAIR_CATEGORIES,
    example: 'negatively_correlated',
    description:
      'negatively_correlated (hedging), uncorrelated (diversification), moderately_correlated, highly_correlated. ' +
      'Default: the top pairs across hedging and diversification, interleaved by rank.',
  })
  @IsOptional()
  @QueryEnum(BEST_PAIR_CATEGORIES)
  category?: BestPairCategory;

  @ApiPropertyOptional({ example: 5, default: 5, minimum: 1, maximum: MAX_BEST_PAIRS_LIMIT })
  @IsOptional()
  @QueryInt({ min: 1, max: MAX_BEST_PAIRS_LIMIT })
  limit?: number;

  @ApiPropertyOptional({
    example: 100,
    description: 'Correlation window (default the first configured: 100)',
  })
  @IsOptional()
  @QueryInt({ min: 1, max: MAX_CORRELATION_WINDOW })
  window?: number;
}

export class BestPairDto {
  @ApiProperty({ example: 1, description: 'Rank within its category, 1 = best' }) rank!: number;
  @ApiProperty({ example: 'EUR_USD' }) pair1!: string;
  @ApiProperty({ example: 'USD_CHF' }) pair2!: string;
  @ApiProperty({ example: -0.82 }) correlation!: number;
  @ApiProperty({ enum: BEST_PAIR_CATEGORIES, example: 'negatively_correlated' })
  category!: BestPairCategory;
  @ApiProperty({
    example:
      'EUR_USD and USD_CHF share USD and move in opposite directions (r = -0.82 over 100 hours): a natural hedge',
  })
  reason!: string;
}

export class BestPairsDto {
  @ApiProperty({ example: '2026-03-10', description: 'Calculation date (UTC)' }) date!: string;
  @ApiProperty({ example: 100 }) window!: number;
  @ApiProperty({ enum: BEST_PAIR_CATEGORIES, nullable: true, example: null })
  category!: BestPairCategory | null;
  @ApiProperty({ example: '2026-03-10T00:00:04.120Z' }) calculated_at!: string;
  @ApiProperty({
    example: {
      negatively_correlated: 31,
      uncorrelated: 102,
      moderately_correlated: 40,
      highly_correlated: 17,
    },
  })
  totals!: Partial<Record<BestPairCategory, number>>;
  @ApiProperty({ example: 5 }) count!: number;
  @ApiProperty({ type: [BestPairDto] }) pairs!: BestPairDto[];
}
