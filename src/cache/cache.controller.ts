import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CacheStatsService } from './cache-stats.service';
import { CacheStatsResponse } from './dto/cache-stats.response';
import { NoQuery } from '../validation/no-query';

@ApiTags('cache')
@Controller('cache')
export class CacheController {
  constructor(private readonly stats: CacheStatsService) {}

  @Get('stats')
  @ApiOperation({
    summary: 'Redis memory and clients, keys per kind, cache hits and misses of this instance',
    description:
      'Answers 200 even when Redis is down (redis.status = "down", key counts null), so it can be used to diagnose the cache.',
  })
  @ApiOkResponse({ type: CacheStatsResponse })
  get(@Query() _query: NoQuery): Promise<CacheStatsResponse> {
    return this.stats.stats();
  }
}
