import { Controller, Get, NotFoundException, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AppConfig } from '../platform/config';
import { CurrentPriceQuery } from './dto/current-price.query';
import { AllPricesResponseDto, PriceResponseDto } from './dto/price.response';
import { PricesService } from './prices.service';
import { NoQuery } from '../platform/validation';

@ApiTags('prices')
@Controller('prices')
export class PricesController {
  constructor(
    private readonly prices: PricesService,
    private readonly config: AppConfig,
  ) {}

  @Get('current')
  @ApiOperation({
    summary: 'Current price of one instrument',
    description:
      'The last live tick (source "stream") or, when none is cached, the close of the last stored candle (source "candle"). ' +
      'Served from PostgreSQL when Redis is down.',
  })
  @ApiOkResponse({ type: PriceResponseDto })
  @ApiBadRequestResponse({ description: 'instrument missing or malformed' })
  @ApiNotFoundResponse({ description: 'instrument not tracked, or no price stored for it yet' })
  async current(@Query() query: CurrentPriceQuery): Promise<PriceResponseDto> {
    if (!this.config.isTracked(query.instrument))
      throw new NotFoundException(`instrument ${query.instrument} is not tracked`);
    const price = await this.prices.current(query.instrument);
    if (!price)
      throw new NotFoundException(
        `no price for ${query.instrument} yet (no live tick and no stored candle)`,
      );
    return price;
  }

  @Get('all')
  @ApiOperation({ summary: 'Current prices of every tracked instrument that has one' })
  @ApiOkResponse({ type: AllPricesResponseDto })
  async all(@Query() _query: NoQuery): Promise<AllPricesResponseDto> {
    const prices = await this.prices.all();
    return { prices, count: prices.length, timestamp: new Date().toISOString() };
  }
}
