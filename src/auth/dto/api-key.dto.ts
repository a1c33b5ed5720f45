import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { API_KEY_SCOPES, type ApiKeyScope, maskedKey } from '../api-key-format';
import type { ApiKey } from '../api-key.entity';

export class CreateApiKeyBody {
  @ApiProperty({ example: 'grafana', description: 'Who or what uses the key' })
  @IsString({ message: 'name must be a string' })
  @Length(1, 100, { message: 'name must be 1 to 100 characters' })
  name!: string;

  @ApiProperty({ enum: API_KEY_SCOPES, example: 'read', description: '`admin` includes `read`' })
  @IsIn(API_KEY_SCOPES, { message: `scope must be one of: ${API_KEY_SCOPES.join(', ')}` })
  scope!: ApiKeyScope;

  @ApiPropertyOptional({ example: 1200, description: 'Overrides RATE_LIMIT_PER_MINUTE' })
  @IsOptional()
  @IsInt({ message: 'rate_limit_per_minute must be an integer' })
  @Min(1, { message: 'rate_limit_per_minute must be at least 1' })
  @Max(1_000_000, { message: 'rate_limit_per_minute must be at most 1000000' })
  rate_limit_per_minute?: number;

  @ApiPropertyOptional({ example: 20, description: 'Overrides WS_MAX_CONNECTIONS_PER_KEY' })
  @IsOptional()
  @IsInt({ message: 'max_connections must be an integer' })
  @Min(1, { message: 'max_connections must be at least 1' })
  @Max(100_000, { message: 'max_connections must be at most 100000' })
  max_connections?: number;
}

/** A key as listed: never the key or its hash. */
export class ApiKeyDto {
  @ApiProperty({ example: 'AbCd1234', description: 'Display prefix: the 8 characters after fxp_' })
  prefix!: string;
  @ApiProperty({ example: 'fxp_AbCd1234…' })
  display!: string;
  @ApiProperty({ example: 'grafana' })
  name!: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true, example: ['read'] })
  scopes!: ApiKeyScope[];
  @ApiProperty({ type: Number, nullable: true, example: null })
  rate_limit_per_minute!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: null })
  max_connections!: number | null;
  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' })
  created_at!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Updated at most once a minute' })
  last_used_at!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null })
  revoked_at!: string | null;

  static from(row: ApiKey): ApiKeyDto {
    return {
      prefix: row.prefix,
      display: maskedKey(row.prefix),
      name: row.name,
      scopes: row.scopes,
      rate_limit_per_minute: row.rateLimitPerMinute,
      max_connections: row.maxConnections,
      created_at: row.createdAt.toISOString(),
      last_used_at: row.lastUsedAt?.toISOString() ?? null,
      revoked_at: row.revokedAt?.toISOString() ?? null,
    };
  }
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({
    example: 'fxp_AbCd1234efGH5678ijKL9012mnOP3456',
    description: 'The key itself: shown in this response only, store it now',
  })
  key!: string;
}

export class ApiKeyListResponse {
  @ApiProperty({ example: 1 })
  count!: number;
  @ApiProperty({ type: [ApiKeyDto] })
  keys!: ApiKeyDto[];
}
