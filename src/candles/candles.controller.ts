import { Controller, Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { isoTimeParam } from '../platform/validation';
import { candlePageCacheControl } from './candle-cache-policy';
import { CandlesService } from './candles.service';
import { CANDLES_EXAMPLE, CandlesResponseDto } from './dto/candles-response.dto';
import { GetCandlesQuery } from './dto/get-candles.query';
import { TrackedInstrumentPipe } from '../platform/config';

@ApiTags('candles')
@ApiExtraModels(CandlesResponseDto)
@Controller('candles')
export class CandlesController {
  constructor(private readonly candles: CandlesService) {}

  @Get(':instrument')
  @ApiOperation({
    summary: 'Stored candles of one instrument, ascending by time',
    description:
      'Keyset pagination: follow next_cursor until it is null (pages never skip or repeat a candle). ' +
      'price picks the components (M, B, A or combinations such as MBA). format=csv streams the ' +
      'whole range as text/csv with a header row and the exact stored decimals; JSON prices are numbers.',
  })
  @ApiParam({ name: 'instrument', example: 'EUR_USD', description: 'A tracked instrument' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description: 'A page of candles (JSON), or the CSV export of the range (format=csv)',
    content: {
      'application/json': {
        schema: { $ref: getSchemaPath(CandlesResponseDto) },
        example: CANDLES_EXAMPLE,
      },
      'text/csv': {
        schema: { type: 'string' },
        example:
          'time,volume,complete,open_mid,high_mid,low_mid,close_mid\n' +
          '2026-03-04T10:00:00.000Z,1834,true,1.08512,1.08644,1.08471,1.08597\n',
      },
    },
  })
  @ApiBadRequestResponse({
    description: 'A malformed parameter; the message names it',
    schema: {
      example: {
        statusCode: 400,
        message: ['limit must be between 1 and 5000'],
        error: 'Bad Request',
      },
    },
  })
  @ApiNotFoundResponse({
    description: 'The instrument is not tracked',
    schema: {
      example: {
        statusCode: 404,
        message: 'instrument EUR_SEK is not tracked',
        error: 'Not Found',
      },
    },
  })
  async list(
    @Param('instrument', TrackedInstrumentPipe) instrument: string,
    @Query() query: GetCandlesQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string | StreamableFile> {
    if (query.format !== 'csv') {
      const page = await this.candles.page(instrument, query);
      // Express adds the ETag (a hash of the body) and answers If-None-Match with 304.
      res.setHeader(
        'Cache-Control',
        candlePageCacheControl({ ...page, to: isoTimeParam(query.to, 'to') }),
      );
      // The body is JSON text already (a CandlesResponseDto): Nest sends strings as they are,
      // under the content type set here.
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      return page.body;
    }
    const stream = await this.candles.csv(instrument, query);
    const granularity = query.granularity ?? 'H1';
    return new StreamableFile(stream, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${instrument}_${granularity}.csv"`,
    });
  }
}
