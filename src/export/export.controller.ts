import { BadRequestException, Controller, Get, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import {
  ExportCandlesQuery,
  ExportCorrelationsQuery,
  ExportMetricsQuery,
  type ExportQuery,
} from './dto/export.query';
import { ExportInputError, type ExportKind, type RawExportFields } from './export-request';
import { ExportService } from './export.service';

const STREAMED =
  'Streamed: rows are read from PostgreSQL in keyset batches as the download proceeds, so a ' +
  'ten-year range never sits in memory. Content-Disposition names the file.';

function ExportDocs(kind: ExportKind, columns: string, csvExample: string): MethodDecorator {
  return (target, key, descriptor) => {
    ApiOperation({
      summary: `Export ${kind} as CSV or Apache Parquet`,
      description: `${columns} ${STREAMED}`,
    })(target, key, descriptor);
    ApiProduces('text/csv', 'application/vnd.apache.parquet')(target, key, descriptor);
    ApiOkResponse({
      description: 'The file (attachment)',
      content: {
        'text/csv': { schema: { type: 'string' }, example: csvExample },
        'application/vnd.apache.parquet': { schema: { type: 'string', format: 'binary' } },
      },
    })(target, key, descriptor);
    ApiBadRequestResponse({
      description: 'A malformed, unknown or inapplicable parameter; the message names it',
      schema: {
        example: {
          statusCode: 400,
          message: 'instruments: EUR_SEK is not tracked; tracked instruments: EUR_USD,GBP_USD',
          error: 'Bad Request',
        },
      },
    })(target, key, descriptor);
  };
}

@ApiTags('export')
@Controller('export')
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  @Get('candles')
  @ExportDocs(
    'candles',
    'Columns: instrument, time, granularity, open/high/low/close of bid, ask and mid, volume, complete; ordered by instrument, then time.',
    'instrument,time,granularity,open_bid,high_bid,low_bid,close_bid,open_ask,high_ask,low_ask,close_ask,open_mid,high_mid,low_mid,close_mid,volume,complete\n' +
      'EUR_USD,2026-03-04T10:00:00.000Z,H1,1.08505,1.08637,1.08464,1.0859,1.08519,1.08651,1.08478,1.08604,1.08512,1.08644,1.08471,1.08597,1834,true\n',
  )
  candles(@Query() query: ExportCandlesQuery): Promise<StreamableFile> {
    return this.send('candles', query);
  }

  @Get('metrics')
  @ExportDocs(
    'metrics',
    'Columns: instrument, time and the volatility metrics and indicators (volatility_20 ... williams_r; empty where history was too short); ordered by instrument, then time.',
    'instrument,time,volatility_20,volatility_50,sma_15,...\nEUR_USD,2026-03-04T10:00:00.000Z,0.0712,0.0688,1.0851,...\n',
  )
  metrics(@Query() query: ExportMetricsQuery): Promise<StreamableFile> {
    return this.send('metrics', query);
  }

  @Get('correlations')
  @ExportDocs(
    'correlations',
    'Columns: time (the calculation day), window_size, pair1, pair2, correlation, sample_size, calculated_at; ordered by day, window, pair.',
    'time,window_size,pair1,pair2,correlation,sample_size,calculated_at\n2026-03-04,100,EUR_USD,GBP_USD,0.8123,100,2026-03-04T00:05:12.000Z\n',
  )
  correlations(@Query() query: ExportCorrelationsQuery): Promise<StreamableFile> {
    return this.send('correlations', query);
  }

  private async send(
    kind: ExportKind,
    query: ExportQuery & { granularity?: string; window?: number },
  ): Promise<StreamableFile> {
    const raw: RawExportFields = {
      instruments: query.instruments,
      from: query.from,
      to: query.to,
      granularity: query.granularity,
      window: query.window === undefined ? undefined : String(query.window),
      format: query.format,
    };
    let request;
    try {
      request = this.exports.resolve(kind, raw, '');
    } catch (error) {
      if (error instanceof ExportInputError) throw new BadRequestException(error.message);
      throw error;
    }
    const opened = await this.exports.open(request);
    return new StreamableFile(opened.stream, {
      type: opened.contentType,
      disposition: `attachment; filename="${opened.filename}"`,
    });
  }
}
