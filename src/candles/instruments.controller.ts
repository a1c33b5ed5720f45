import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { AppConfig } from '../platform/config';
import { CandleReader } from './candle-reader.store';
import {
  GetInstrumentsQuery,
  INSTRUMENTS_EXAMPLE,
  InstrumentsResponseDto,
} from './dto/instruments-response.dto';

@ApiTags('instruments')
@ApiExtraModels(InstrumentsResponseDto)
@Controller('instruments')
export class InstrumentsController {
  constructor(
    private readonly config: AppConfig,
    private readonly reader: CandleReader,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Tracked instruments with display precision, pip location and stored-candle coverage',
  })
  @ApiOkResponse({
    content: {
      'application/json': {
        schema: { $ref: getSchemaPath(InstrumentsResponseDto) },
        example: INSTRUMENTS_EXAMPLE,
      },
    },
  })
  @ApiBadRequestResponse({
    description: 'Unknown granularity',
    schema: {
      example: {
        statusCode: 400,
        message: ['granularity must be one of S5, S10, ...'],
        error: 'Bad Request',
      },
    },
  })
  async list(@Query() query: GetInstrumentsQuery): Promise<InstrumentsResponseDto> {
    const granularity = query.granularity ?? 'H1';
    const bounds = await this.reader.bounds(granularity);
    const instruments = this.config.instrumentSpecs().map((spec) => {
      const b = bounds.get(spec.name);
      return {
        name: spec.name,
        display_name: `${spec.base}/${spec.quote}`,
        base: spec.base,
        quote: spec.quote,
        display_precision: spec.displayPrecision,
        pip_location: spec.pipLocation,
        // Built from the exponent so it is exactly 0.0001, not 0.00009999999999999999.
        pip_size: Number(`1e${spec.pipLocation}`),
        candle_count: b?.count ?? 0,
        first_candle: b?.first?.toISOString() ?? null,
        last_candle: b?.last?.toISOString() ?? null,
      };
    });
    return { granularity, count: instruments.length, instruments };
  }
}
