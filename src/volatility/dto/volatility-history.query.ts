import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { QueryInt, QueryIsoTime } from '../../platform/validation';

export class VolatilityHistoryQuery {
  @ApiPropertyOptional({
    example: '2026-03-01T00:00:00Z',
    description: 'Inclusive lower bound (ISO-8601 with Z or an offset; a bare date is 00:00 UTC)',
  })
  @IsOptional()
  @QueryIsoTime()
  from?: string;

  @ApiPropertyOptional({
    example: '2026-03-10T23:00:00Z',
    description: 'Inclusive upper bound (ISO-8601 with Z or an offset; a bare date is 00:00 UTC)',
  })
  @IsOptional()
  @QueryIsoTime()
  to?: string;

  @ApiPropertyOptional({ example: 100, default: 100, minimum: 1, maximum: 5000 })
  @IsOptional()
  @QueryInt({ min: 1, max: 5000 })
  limit?: number;
}
