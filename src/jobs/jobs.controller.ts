import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Logger,
  Param,
  Post,
  Query,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { VerifiedKey } from '../auth';
import { actorOf, CurrentKey } from '../auth';
import { AppConfig, JOB_NAMES } from '../platform/config';
import { InstrumentListError, parseInstrumentList } from '../platform/config';
import { JobDetailResponse, JobInfoDto, JobRunDto, JobRunsResponse } from './dto/job-run.response';
import { ListJobRunsQuery } from './dto/list-job-runs.query';
import { JobStartedResponse, RunJobBody } from './dto/run-job.body';
import { JobsService, UnknownJobError } from './jobs.service';
import { parseCalendarDay } from '../platform/validation';
import { NoQuery } from '../platform/validation';

const DEFAULT_LIMIT = 50;
const RECENT_RUNS = 10;

@ApiTags('jobs')
@Controller('jobs')
export class JobsController {
  private readonly logger = new Logger('Admin');

  constructor(
    private readonly jobs: JobsService,
    private readonly config: AppConfig,
  ) {}

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

  @Post(':name/run')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Run a job now (admin): same runner, lock and log as the schedule and the CLI',
    description:
      'Answers 202 with the log id as soon as the run has started; follow it in GET /jobs. ' +
      'The log row records triggered_by = key:<prefix>.',
  })
  @ApiParam({ name: 'name', enum: JOB_NAMES, example: 'hourly' })
  @ApiAcceptedResponse({ type: JobStartedResponse })
  @ApiConflictResponse({
    description: 'The job is running (here or on another instance)',
    schema: {
      example: {
        statusCode: 409,
        error: 'Conflict',
        message: 'job hourly is already running (log #1233)',
        running_id: 1233,
      },
    },
  })
  async run(
    @Param('name') name: string,
    @Body() body: RunJobBody,
    @CurrentKey() key: VerifiedKey | undefined,
  ): Promise<JobStartedResponse> {
    if (!this.jobs.isJobName(name)) throw new UnknownJobError(name);
    let asOf: Date | undefined;
    if (body.as_of !== undefined) {
      const day = parseCalendarDay(body.as_of);
      if (!day.ok) throw new BadRequestException(`as_of ${day.reason}`);
      asOf = day.value;
    }
    let instruments: string[] | undefined;
    try {
      instruments =
        body.instruments === undefined
          ? undefined
          : parseInstrumentList(
              body.instruments.join(','),
              this.config.market.instruments,
              'instruments',
            );
    } catch (error) {
      if (error instanceof InstrumentListError) throw new BadRequestException(error.message);
      throw error;
    }
    const actor = actorOf(key);
    const outcome = await this.jobs.start(
      name,
      { asOf, instruments, dryRun: body.dry_run ?? false },
      actor,
    );
    if ('dryRun' in outcome) {
      const result = outcome.dryRun;
      this.logger.log(`${actor} dry-ran job ${name}: ${result.status}`);
      return {
        log_id: null,
        job: name,
        status: result.status,
        triggered_by: actor,
        dry_run: true,
        details: result.details ?? null,
      };
    }
    if ('started' in outcome) {
      this.logger.log(`${actor} started job ${name} (log #${outcome.started})`);
      return { log_id: outcome.started, job: name, status: 'running', triggered_by: actor };
    }
    this.logger.log(`${actor} asked to run job ${name}: refused (${outcome.skipped})`);
    if (outcome.runningId === null) {
      throw new ServiceUnavailableException(`job ${name} could not start: ${outcome.skipped}`);
    }
    throw new ConflictException({
      statusCode: HttpStatus.CONFLICT,
      error: 'Conflict',
      message: `job ${name} is already running (log #${outcome.runningId})`,
      running_id: outcome.runningId,
    });
  }
}
