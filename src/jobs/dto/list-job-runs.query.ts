import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { JOB_NAMES } from '../../config/app-config';
import { JOB_STATUSES, type JobStatus } from '../cron-job-log.entity';

/** Names that appear in cron_job_log: the scheduled jobs plus the backfill. */
export const LOGGED_JOB_NAMES = [...JOB_NAMES, 'backfill'] as const;

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

export class ListJobRunsQuery {
  @ApiPropertyOptional({ enum: LOGGED_JOB_NAMES, example: 'hourly' })
  @IsOptional()
  @IsIn(LOGGED_JOB_NAMES, { message: `name must be one of: ${LOGGED_JOB_NAMES.join(', ')}` })
  name?: string;

  @ApiPropertyOptional({ enum: JOB_STATUSES, example: 'failed' })
  @IsOptional()
  @IsIn(JOB_STATUSES, { message: `status must be one of: ${JOB_STATUSES.join(', ')}` })
  status?: JobStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50, example: 20 })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(500, { message: 'limit must be at most 500' })
  limit?: number;
}
