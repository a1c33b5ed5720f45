import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CorrelationQueryService } from './correlation-query.service';
import {
  CorrelationMatrixDto,
  CorrelationMatrixQuery,
  CorrelationPairDto,
  CorrelationPairQuery,
} from './dto/correlation.dto';

@ApiTags('correlation')
@Controller('correlation')
export class CorrelationController {
  constructor(private readonly query: CorrelationQueryService) {}

  @Get('matrix')
  @ApiOperation({
    summary: 'Correlation matrix of hourly log returns',
    description:
      'Pearson correlation of the last W hourly log returns on the timestamps both instruments have, for every ' +
      'pair of tracked instruments, as calculated by the daily job. The newest day by default (cached), or `date`.',
  })
  @ApiOkResponse({ type: CorrelationMatrixDto })
  @ApiBadRequestResponse({ description: 'window not configured, or date malformed' })
  @ApiNotFoundResponse({ description: 'No matrix for that window (and date) has been calculated' })
  matrix(@Query() query: CorrelationMatrixQuery): Promise<CorrelationMatrixDto> {
    return this.query.matrix(query.window, query.date);
  }

  @Get('pairs')
  @ApiOperation({
    summary: 'Correlation of one pair: latest value, its category and its daily history',
    description: 'pair1/pair2 may be given in either order.',
  })
  @ApiOkResponse({ type: CorrelationPairDto })
  @ApiBadRequestResponse({
    description: 'pair1/pair2 malformed or equal, window not configured, limit out of range',
  })
  @ApiNotFoundResponse({
    description: 'An instrument is not tracked, or nothing is stored for the pair yet',
  })
  pairs(@Query() query: CorrelationPairQuery): Promise<CorrelationPairDto> {
    return this.query.pair(query.pair1, query.pair2, query.window, query.limit);
  }
}
