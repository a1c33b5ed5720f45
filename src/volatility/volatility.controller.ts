import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { VolatilityHistoryQuery } from './dto/volatility-history.query';
import { VolatilityHistoryDto, VolatilityListDto } from './dto/volatility-metric.dto';
import { TrackedInstrumentPipe } from '../platform/config';
import { VolatilityQueryService } from './volatility-query.service';
import { NoQuery } from '../platform/validation';

@ApiTags('metrics')
@Controller('metrics/volatility')
export class VolatilityController {
  constructor(private readonly query: VolatilityQueryService) {}

  @Get()
  @ApiOperation({
    summary: 'Latest volatility metrics and indicators of every tracked instrument',
    description:
      'Historical volatility (annualised, sample std of hourly log returns), SMA/EMA, Bollinger(20,2), ATR(14), RSI(14), ' +
      "MACD(12,26,9), slow stochastic (14,3,3) and Williams %R(14) at each instrument's newest complete H1 candle. " +
      'null = not enough history yet. Served from the cache (metrics:<I>) when warm.',
  })
  @ApiOkResponse({ type: VolatilityListDto })
  list(@Query() _query: NoQuery): Promise<VolatilityListDto> {
    return this.query.latestAll();
  }

  @Get(':instrument')
  @ApiOperation({
    summary: 'Latest metrics of one instrument plus their history',
    description:
      'History is newest first, limited to `limit` rows (default 100, at most 5000) within [from, to].',
  })
  @ApiParam({ name: 'instrument', example: 'EUR_USD' })
  @ApiOkResponse({ type: VolatilityHistoryDto })
  @ApiBadRequestResponse({
    description: 'Malformed instrument, from, to or limit (the message names it)',
  })
  @ApiNotFoundResponse({ description: 'The instrument is not tracked' })
  history(
    @Param('instrument', TrackedInstrumentPipe) instrument: string,
    @Query() query: VolatilityHistoryQuery,
  ): Promise<VolatilityHistoryDto> {
    return this.query.history(instrument, query);
  }
}
