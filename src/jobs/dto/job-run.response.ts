import { ApiProperty } from '@nestjs/swagger';
import { JOB_STATUSES, type CronJobLog, type JobStatus } from '../../platform/jobs';
import type { JobSummary } from '../jobs.service';
import { SCHEDULE_TIMEZONE } from '../job-schedule';

export class JobRunDto {
  @ApiProperty({ example: 1234 })
  id!: number;
  @ApiProperty({ example: 'hourly' })
  job_name!: string;
  @ApiProperty({ enum: JOB_STATUSES, example: 'success' })
  status!: JobStatus;
  @ApiProperty({ example: '2026-11-21T10:02:00.012Z' })
  start_time!: string;
  @ApiProperty({ type: String, nullable: true, example: '2026-11-21T10:02:14.530Z' })
  end_time!: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 14.518 })
  duration_seconds!: number | null;
  @ApiProperty({ example: 40 })
  records_processed!: number;
  @ApiProperty({ type: String, nullable: true, example: null })
  error_message!: string | null;
  @ApiProperty({
    type: Object,
    nullable: true,
    example: { steps: { sync: { status: 'success', recordsProcessed: 20 } } },
  })
  details!: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true, example: 'fx-api-1' })
  instance_id!: string | null;
  @ApiProperty({
    example: 'schedule',
    description: 'Who started the run: schedule, cli, or key:<prefix> (the admin API)',
  })
  triggered_by!: string;

  static from(row: CronJobLog): JobRunDto {
    return {
      id: row.id,
      job_name: row.jobName,
      status: row.status,
      start_time: row.startTime.toISOString(),
      end_time: row.endTime?.toISOString() ?? null,
      duration_seconds: row.durationSeconds,
      records_processed: row.recordsProcessed,
      error_message: row.errorMessage,
      details: row.details,
      instance_id: row.instanceId,
      triggered_by: row.triggeredBy,
    };
  }
}

export class JobRunsResponse {
  @ApiProperty({ example: 1 })
  count!: number;
  @ApiProperty({ type: [JobRunDto] })
  runs!: JobRunDto[];
}

export class JobInfoDto {
  @ApiProperty({ example: 'daily-correlation' })
  name!: string;
  @ApiProperty({ example: "Correlation matrix for every window, then today's best pairs" })
  description!: string;
  @ApiProperty({ example: '0 0 0 * * *', description: 'Cron expression (with seconds)' })
  schedule!: string;
  @ApiProperty({ example: SCHEDULE_TIMEZONE })
  timezone!: string;
  @ApiProperty({ example: true, description: "The job's switch (e.g. DAILY_JOB_ENABLED)" })
  enabled!: boolean;
  @ApiProperty({
    example: true,
    description: 'Whether this instance schedules it (SCHEDULER_ENABLED and the switch)',
  })
  scheduled!: boolean;
  @ApiProperty({ example: '2026-11-22T00:00:00.000Z', description: 'Next tick of the schedule' })
  next_run!: string;
  @ApiProperty({ example: 86400, description: 'Longest time between two ticks' })
  period_seconds!: number;
  @ApiProperty({ example: false, description: 'Running in this instance right now' })
  running!: boolean;
  @ApiProperty({ type: JobRunDto, nullable: true })
  last_run!: JobRunDto | null;
  @ApiProperty({ type: JobRunDto, nullable: true, description: 'Last success or partial run' })
  last_success!: JobRunDto | null;

  static from(s: JobSummary): JobInfoDto {
    return {
      name: s.name,
      description: s.description,
      schedule: s.cron,
      timezone: SCHEDULE_TIMEZONE,
      enabled: s.enabled,
      scheduled: s.scheduled,
      next_run: s.nextRun.toISOString(),
      period_seconds: s.periodMs / 1000,
      running: s.runningHere,
      last_run: s.lastRun ? JobRunDto.from(s.lastRun) : null,
      last_success: s.lastSuccess ? JobRunDto.from(s.lastSuccess) : null,
    };
  }
}

export class JobDetailResponse extends JobInfoDto {
  @ApiProperty({ type: [JobRunDto], description: 'Most recent runs, newest first' })
  recent_runs!: JobRunDto[];
}
