import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { QueryEnum, QueryInt } from '../../platform/validation';
import { JOB_NAMES } from '../../platform/config';
import { JOB_STATUSES, type JobStatus } from '../cron-job-log.entity';

/** Names that appear in cron_job_log: the scheduled jobs plus the backfill. */
export const LOGGED_JOB_NAMES = [...JOB_NAMES, 'backfill'] as const;

export class ListJobRunsQuery {
  @ApiPropertyOptional({ enum: LOGGED_JOB_NAMES, example: 'hourly' })
  @IsOptional()
  @QueryEnum(LOGGED_JOB_NAMES)
  name?: string;

  @ApiPropertyOptional({ enum: JOB_STATUSES, example: 'failed' })
  @IsOptional()
  @QueryEnum(JOB_STATUSES)
  status?: JobStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50, example: 20 })
  @IsOptional()
  @QueryInt({ min: 1, max: 500 })
  limit?: number;
}
