import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, nullableDouble } from '../platform/database';

export type JobStatus = 'running' | 'success' | 'partial' | 'failed' | 'skipped';
export const JOB_STATUSES: readonly JobStatus[] = [
  'running',
  'success',
  'partial',
  'failed',
  'skipped',
];

/** One row per job run (including skipped ticks), written at start and at the end. */
@Entity('cron_job_log')
@Index('ix_cron_job_log_job_name_start_time', ['jobName', 'startTime'])
export class CronJobLog {
  @PrimaryColumn({ type: 'bigint', generated: 'identity', transformer: bigintNumber })
  id!: number;

  @Column({ type: 'varchar', length: 64 })
  jobName!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: JobStatus;

  @Column({ type: 'timestamptz' })
  startTime!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  endTime!: Date | null;

  @Column({ type: 'double precision', nullable: true, transformer: nullableDouble })
  durationSeconds!: number | null;

  @Column({ type: 'integer', default: 0 })
  recordsProcessed!: number;

  @Column({ type: 'text', nullable: true })
  errorMessage!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  details!: Record<string, unknown> | null;

  /** Which app instance ran (or skipped) it; useful when several share the database. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  instanceId!: string | null;

  /** Who started the run: `schedule`, `cli`, or `key:<prefix>` (the admin API). */
  @Column({ type: 'varchar', length: 64, default: 'schedule' })
  triggeredBy!: string;
}
