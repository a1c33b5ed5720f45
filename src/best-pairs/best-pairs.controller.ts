import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { BestPairsQueryService } from './best-pairs-query.service';
import { BestPairsDto, BestPairsQuery } from './dto/best-pairs.dto';

@ApiTags('best-pairs')
@Controller('best-pairs')
export class BestPairsController {
  constructor(private readonly query: BestPairsQueryService) {}

  @Get()
  @ApiOperation({
    summary: 'Ranked pair recommendations with reasons',
    description:
      'From the newest daily correlation matrix. Ranking: hedging (negatively_correlated) most negative first; ' +
      'diversification (uncorrelated) closest to 0 first; moderately/highly_correlated highest first. ' +
      'Without `category`: the top `limit` (default 5) across hedging and diversification, interleaved by rank.',
  })
  @ApiOkResponse({ type: BestPairsDto })
  @ApiBadRequestResponse({
    description: 'Unknown category, limit out of 1..100, or window not configured',
  })
  @ApiNotFoundResponse({ description: 'No best pairs have been calculated for the window yet' })
  list(@Query() query: BestPairsQuery): Promise<BestPairsDto> {
    return this.query.list(query);
  }
}
