import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { JOB_NAMES } from '../config/app-config';
import { JobDetailResponse, JobInfoDto, JobRunDto, JobRunsResponse } from './dto/job-run.response';
import { ListJobRunsQuery } from './dto/list-job-runs.query';
import { JobsService } from './jobs.service';
import { NoQuery } from '../validation/no-query';

const DEFAULT_LIMIT = 50;
const RECENT_RUNS = 10;

@ApiTags('jobs')
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  @ApiOperation({
    summary: 'Recent job runs from cron_job_log, newest first',
    description:
      'Every run is logged, including `skipped` ticks (another instance held the lock) and the `backfill`.',
  })
  @ApiOkResponse({ type: JobRunsResponse })
  @ApiBadRequestResponse({
    description: 'A filter is invalid; the message names it',
    schema: {
      example: {
        statusCode: 400,
        message: ['status must be one of: running, success, partial, failed, skipped'],
        error: 'Bad Request',
      },
    },
  })
  async list(@Query() query: ListJobRunsQuery): Promise<JobRunsResponse> {
    const rows = await this.jobs.runs({
      name: query.name,
      status: query.status,
      limit: query.limit ?? DEFAULT_LIMIT,
    });
    return { count: rows.length, runs: rows.map((r) => JobRunDto.from(r)) };
  }

  @Get(':name')
  @ApiOperation({ summary: 'A scheduled job: schedule, switch, next run and its last runs' })
  @ApiParam({ name: 'name', enum: JOB_NAMES, example: 'hourly' })
  @ApiOkResponse({ type: JobDetailResponse })
  @ApiNotFoundResponse({
    description: 'Not a scheduled job name; the message lists the valid ones',
    schema: {
      example: {
        statusCode: 404,
        message:
          'unknown job "hourlyy"; valid job names: hourly, daily-correlation, retention, audit-prune',
        error: 'Not Found',
      },
    },
  })
  async get(@Param('name') name: string, @Query() _query: NoQuery): Promise<JobDetailResponse> {
    const summary = await this.jobs.summary(name);
    const recent = await this.jobs.runs({ name, limit: RECENT_RUNS });
    return { ...JobInfoDto.from(summary), recent_runs: recent.map((r) => JobRunDto.from(r)) };
  }
}
