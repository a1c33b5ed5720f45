import { Controller, Get, HttpCode, HttpStatus, Logger, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { VerifiedKey } from '../auth';
import { actorOf, CurrentKey } from '../auth';
import { CacheStatsService } from './cache-stats.service';
import { CacheStatsResponse } from './dto/cache-stats.response';
import { NoQuery } from '../platform/validation';

@ApiTags('cache')
@Controller('cache')
export class CacheController {
  private readonly logger = new Logger('Admin');

  constructor(private readonly stats: CacheStatsService) {}

  @Post('clear')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: "Delete this service's cache keys (admin); readers refill them from the database",
  })
  @ApiOkResponse({
    schema: {
      example: { deleted: { price: 20, metrics: 20, correlation_matrix: 2, best_pairs: 1 } },
    },
  })
  async clear(
    @CurrentKey() key: VerifiedKey | undefined,
  ): Promise<{ deleted: Record<string, number> }> {
    const deleted = await this.stats.clear();
    const total = Object.values(deleted).reduce((a, b) => a + b, 0);
    this.logger.log(`${actorOf(key)} cleared the cache (${total} keys)`);
    return { deleted };
  }

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
