import { JobStatus } from './cron-job-log.entity';

/** A job definition's name or a logged run's (`backfill`): see src/platform/config/job-definitions.ts. */
export type RunnableJobName = string;

export interface JobContext {
  readonly name: RunnableJobName;
  /** Aborted when the job times out or the app shuts down; long loops should check it. */
  readonly signal: AbortSignal;
  readonly startedAt: Date;
}

/** What a job reports back; the runner turns it into the `cron_job_log` row. */
export interface JobOutcome {
  /** `partial` when some items failed and the others went on; defaults to `success`. */
  status?: Extract<JobStatus, 'success' | 'partial' | 'failed'>;
  recordsProcessed: number;
  details?: Record<string, unknown>;
  errorMessage?: string;
}

export interface JobRunResult extends Required<Pick<JobOutcome, 'recordsProcessed'>> {
  /** The cron_job_log row; null for a dry run, which logs nothing. */
  logId: number | null;
  /** Set for a dry run: nothing was written (database, cache, pub/sub). */
  dryRun?: boolean;
  status: JobStatus;
  durationSeconds: number;
  details: Record<string, unknown> | null;
  errorMessage: string | null;
}

export interface RunJobOptions {
  /** Overrides JOB_TIMEOUT_SECONDS for this run. */
  timeoutSeconds?: number;
  /** Recorded as cron_job_log.triggered_by: `schedule` (default), `cli` or `key:<prefix>`. */
  triggeredBy?: string;
  /** Called once the `running` row exists (the admin API answers 202 with its id). */
  onStart?: (logId: number) => void;
}
