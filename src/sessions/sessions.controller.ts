import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GetSessionsQuery } from './dto/get-sessions.query';
import { SessionsResponse } from './dto/sessions.response';
import { SessionsService } from './sessions.service';
import { isoTimeParam } from '../platform/validation';

@ApiTags('sessions')
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @ApiOperation({
    summary: 'Market sessions: open now (or at `at`), time to open/close, overlaps',
    description:
      'Sessions trade Monday to Friday of their own city; a session crossing midnight UTC (Sydney 22:00-06:00) ' +
      'is handled. With dst_aware=true each session follows its local hours in its IANA time zone, so London ' +
      'opens 07:00 UTC in British summer time and New York 12:00 UTC in US daylight time.',
  })
  @ApiOkResponse({ type: SessionsResponse })
  @ApiBadRequestResponse({
    description: 'A query parameter is invalid; the message names it',
    schema: {
      example: {
        statusCode: 400,
        message: ['at must be an ISO-8601 date-time with a zone, like 2026-03-09T12:30:00Z'],
        error: 'Bad Request',
      },
    },
  })
  get(@Query() query: GetSessionsQuery): Promise<SessionsResponse> {
    const at = isoTimeParam(query.at, 'at') ?? new Date();
    return this.sessions.at(at, query.dst_aware ?? false);
  }
}
