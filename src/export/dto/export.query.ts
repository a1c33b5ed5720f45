import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { GRANULARITIES, type Granularity } from '../../platform/time';
import { QueryEnum, QueryInt, QueryIsoTime } from '../../platform/validation';
import { EXPORT_FORMATS, type ExportFormat } from '../export-request';

/** Parameters every export takes; one subclass per kind adds its own, the rest are refused. */
export class ExportQuery {
  @ApiPropertyOptional({
    description:
      'Comma-separated tracked instruments (default: all tracked). Correlations: pairs with both sides in the list.',
    example: 'EUR_USD,GBP_USD',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: 'instruments is too long' })
  instruments?: string;

  @ApiPropertyOptional({
    description:
      'Earliest time, inclusive (ISO-8601 with Z or an offset; a bare date is 00:00 UTC)',
    example: '2026-01-01',
  })
  @IsOptional()
  @QueryIsoTime()
  from?: string;

  @ApiPropertyOptional({
    description: 'Latest time, inclusive (ISO-8601 with Z or an offset; a bare date is 00:00 UTC)',
    example: '2026-03-01T00:00:00Z',
  })
  @IsOptional()
  @QueryIsoTime()
  to?: string;

  @ApiPropertyOptional({
    enum: EXPORT_FORMATS,
    default: 'csv',
    description: 'csv (header row, exact stored decimals) or parquet (Apache Parquet, snappy)',
  })
  @IsOptional()
  @QueryEnum(EXPORT_FORMATS)
  format?: ExportFormat;
}

export class ExportCandlesQuery extends ExportQuery {
  @ApiPropertyOptional({ enum: GRANULARITIES, default: 'H1', example: 'H1' })
  @IsOptional()
  @QueryEnum(GRANULARITIES)
  granularity?: Granularity;
}

export class ExportMetricsQuery extends ExportQuery {}

export class ExportCorrelationsQuery extends ExportQuery {
  @ApiPropertyOptional({
    description: 'One correlation window (one of CORRELATION_WINDOWS); every window when absent',
    example: 100,
  })
  @IsOptional()
  @QueryInt({ min: 2, max: 100_000 })
  window?: number;
}
