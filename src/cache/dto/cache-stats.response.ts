import { ApiProperty } from '@nestjs/swagger';

export class RedisServerStatsDto {
  @ApiProperty({
    enum: ['up', 'down', 'in-process'],
    example: 'up',
    description: '`in-process`: REDIS_URL is unset and the cache lives in the service memory',
  })
  status!: 'up' | 'down' | 'in-process';
  @ApiProperty({ type: Number, nullable: true, example: 1_482_368 })
  used_memory_bytes!: number | null;
  @ApiProperty({ type: String, nullable: true, example: '1.41M' })
  used_memory_human!: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 7 })
  connected_clients!: number | null;
  @ApiProperty({ required: false, example: 'Redis is not connected' })
  error?: string;
}

export class KindStatsDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 20,
    description: 'Keys of this kind now in Redis (SCAN); null when Redis is down',
  })
  keys!: number | null;
  @ApiProperty({ example: 1520 })
  hits!: number;
  @ApiProperty({ example: 14 })
  misses!: number;
  @ApiProperty({
    example: 0,
    description: 'Lookups skipped or failed because Redis was unreachable',
  })
  errors!: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.9909 })
  hit_ratio!: number | null;
}

export class CacheKindsDto {
  @ApiProperty({ type: KindStatsDto })
  price!: KindStatsDto;
  @ApiProperty({ type: KindStatsDto })
  metrics!: KindStatsDto;
  @ApiProperty({ type: KindStatsDto })
  correlation_matrix!: KindStatsDto;
  @ApiProperty({ type: KindStatsDto })
  best_pairs!: KindStatsDto;
}

export class CacheStatsResponse {
  @ApiProperty({ type: RedisServerStatsDto })
  redis!: RedisServerStatsDto;
  @ApiProperty({
    type: CacheKindsDto,
    description: 'Per key kind: keys in Redis, lookups since start',
  })
  kinds!: CacheKindsDto;
  @ApiProperty({ example: 1720, description: 'Cache hits of this instance since it started' })
  hits!: number;
  @ApiProperty({ example: 30 })
  misses!: number;
  @ApiProperty({ example: 0 })
  errors!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.9829,
    description: 'hits / (hits + misses + errors); null before the first lookup',
  })
  hit_ratio!: number | null;
  @ApiProperty({ example: '2026-11-21T09:00:00.000Z', description: 'When the counters started' })
  since!: string;
  @ApiProperty({ example: '2026-11-21T10:00:00.000Z' })
  timestamp!: string;
}
