import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AppConfig } from '../../platform/config';
import { tryAdvisoryLock } from '../../platform/locks';
import { withDbRetry } from '../../platform/database';
import { PrometheusService } from '../../platform/observability';
import { CronJobLog, JobStatus } from '../cron-job-log.entity';
import { JobContext, JobOutcome, JobRunResult, RunJobOptions, RunnableJobName } from './job.types';
import { idleSleep } from '../../platform/time';

class JobTimeoutError extends Error {
  constructor(seconds: number) {
    super(`timed out after ${seconds} s`);
  }
}

export const INTERRUPTED_BY_SHUTDOWN = 'interrupted by shutdown';
export const PROCESS_DIED = 'process died';

/** Extra time, after interrupting, for runs to write their `failed` row and release their lock. */
const INTERRUPT_SETTLE_MS = 2_000;

interface ActiveRun {
  readonly controller: AbortController;
  /** Ends the run now as failed with `error` (the job function is also aborted). */
  interrupt(error: Error): void;
  /** Resolves once the final row is written and the lock released. */
  readonly settled: Promise<void>;
}

/**
 * Every job goes through here: take the job's advisory lock (another instance
 * or an overlapping tick logs `skipped`), log `running`, run with a timeout,
 * then log the outcome. The job function never throws past this point.
 *
 * Lifecycle: at boot a `running` row whose lock nobody holds (its process
 * crashed) is closed as failed; at shutdown a running job gets
 * JOBS_SHUTDOWN_GRACE_SECONDS to finish, then is marked failed.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobRunner.name);
  private readonly active = new Map<string, ActiveRun>();
  private shuttingDown = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    @InjectRepository(CronJobLog) private readonly logs: Repository<CronJobLog>,
    private readonly metrics: PrometheusService,
  ) {}

  async run(
    name: RunnableJobName,
    job: (ctx: JobContext) => Promise<JobOutcome>,
    options: RunJobOptions = {},
  ): Promise<JobRunResult> {
    const startedAt = new Date();
    const triggeredBy = options.triggeredBy ?? 'schedule';
    if (this.shuttingDown)
      return this.skip(name, startedAt, 'this instance is shutting down', triggeredBy);
    const lock = await tryAdvisoryLock(this.dataSource, `job:${name}`);
    if (!lock) return this.skip(name, startedAt, 'another run holds the lock', triggeredBy);

    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const timeoutSeconds = options.timeoutSeconds ?? this.config.jobs.timeoutSeconds;
    try {
      const running = this.logs.create({
        jobName: name,
        status: 'running',
        startTime: startedAt,
        recordsProcessed: 0,
        instanceId: this.config.app.instanceId,
        triggeredBy,
      });
      const row = await withDbRetry(() => this.logs.save(running), {
        ...this.dbRetry(`job ${name}: logging its start`),
        budgetMs: this.config.jobs.dbRetrySeconds * 1000,
      });
      this.logger.debug(`job ${name} started (log #${row.id})`);
      options.onStart?.(row.id);
      const { status, outcome, signal } = await this.execute(
        name,
        job,
        startedAt,
        settled,
        timeoutSeconds,
      );
      // The outcome is worth waiting for (a PostgreSQL restart takes seconds), but only
      // within the job's timeout; a shutdown or a timeout gets one attempt.
      const deadline = startedAt.getTime() + timeoutSeconds * 1000;
      return await this.finish(row, status, outcome, deadline, signal);
    } finally {
      this.active.delete(name);
      await lock.release().catch((error: Error) => {
        // The lock lives on its own connection; if that is gone, PostgreSQL already freed it.
        this.logger.warn(`job ${name}: releasing its lock failed: ${error.message}`);
      });
      settle();
    }
  }

  /** Names of jobs running in this process right now. */
  running(): string[] {
    return [...this.active.keys()];
  }

  /** Asks every running job to stop (its signal aborts; the job decides how fast it returns). */
  abortAll(reason = 'shutting down'): void {
    for (const run of this.active.values()) run.controller.abort(new Error(reason));
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.reconcileStaleRuns();
    } catch (error) {
      this.logger.warn(`could not check for stale job runs: ${(error as Error).message}`);
    }
  }

  /**
   * Lets running jobs finish for up to JOBS_SHUTDOWN_GRACE_SECONDS, then ends
   * them as failed ("interrupted by shutdown"). Runs before the HTTP server
   * and the database pool close, so the final rows can still be written.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    const runs = [...this.active.entries()];
    if (runs.length === 0) return;
    const graceMs = this.config.jobs.shutdownGraceSeconds * 1000;
    const names = runs.map(([name]) => name).join(', ');
    this.logger.log(`shutdown: waiting up to ${graceMs / 1000} s for running job(s) ${names}`);
    const allSettled = Promise.all(runs.map(([, run]) => run.settled)).then(() => true);
    if (await Promise.race([allSettled, idleSleep(graceMs).then(() => false)])) return;
    for (const [, run] of this.active) run.interrupt(new Error(INTERRUPTED_BY_SHUTDOWN));
    await Promise.race([allSettled, idleSleep(INTERRUPT_SETTLE_MS)]);
  }

  /**
   * Closes `running` rows left by a process that died mid-job. A row is stale
   * only if nobody holds the job's lock: we take the lock ourselves while
   * updating, so a live run elsewhere is never touched.
   */
  async reconcileStaleRuns(): Promise<number> {
    const names = await this.logs
      .createQueryBuilder('log')
      .select('DISTINCT log.job_name', 'name')
      .where("log.status = 'running'")
      .getRawMany<{ name: string }>();
    let closed = 0;
    for (const { name } of names) {
      if (this.active.has(name)) continue;
      const lock = await tryAdvisoryLock(this.dataSource, `job:${name}`);
      if (!lock) continue;
      try {
        const rows = await this.dataSource.query<[Array<{ id: number }>, number]>(
          `UPDATE cron_job_log
              SET status = 'failed', end_time = now(),
                  duration_seconds = extract(epoch FROM now() - start_time),
                  error_message = $2,
                  details = coalesce(details, '{}'::jsonb) || jsonb_build_object('closed_by', $3::text)
            WHERE job_name = $1 AND status = 'running'
            RETURNING id`,
          [name, PROCESS_DIED, this.config.app.instanceId],
        );
        const ids = rows[0].map((r) => Number(r.id));
        closed += ids.length;
        if (ids.length) {
          this.logger.warn(
            `job ${name}: closed ${ids.length} stale running row(s) (#${ids.join(', #')}) as failed: ${PROCESS_DIED}`,
          );
        }
      } finally {
        await lock.release();
      }
    }
    return closed;
  }

  private async execute(
    name: RunnableJobName,
    job: (ctx: JobContext) => Promise<JobOutcome>,
    startedAt: Date,
    settled: Promise<void>,
    timeoutSeconds: number,
  ): Promise<{ status: JobStatus; outcome: JobOutcome; signal: AbortSignal }> {
    const controller = new AbortController();
    let stop!: (error: Error) => void;
    const stopped = new Promise<never>((_, reject) => (stop = reject));
    const end = (error: Error): void => {
      controller.abort(error);
      stop(error);
    };
    this.active.set(name, { controller, interrupt: end, settled });
    const timer = setTimeout(() => end(new JobTimeoutError(timeoutSeconds)), timeoutSeconds * 1000);
    try {
      // The race is what makes a hung job time out: its promise is left behind, its signal aborted.
      const outcome = await Promise.race([
        job({ name, signal: controller.signal, startedAt }),
        stopped,
      ]);
      return { status: outcome.status ?? 'success', outcome, signal: controller.signal };
    } catch (error) {
      return {
        status: 'failed',
        outcome: { recordsProcessed: 0, errorMessage: (error as Error).message },
        signal: controller.signal,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  private async finish(
    row: CronJobLog,
    status: JobStatus,
    outcome: JobOutcome,
    deadline: number,
    signal: AbortSignal,
  ): Promise<JobRunResult> {
    const endTime = new Date();
    row.status = status;
    row.endTime = endTime;
    row.durationSeconds = (endTime.getTime() - row.startTime.getTime()) / 1000;
    row.recordsProcessed = outcome.recordsProcessed;
    row.errorMessage = outcome.errorMessage ?? null;
    row.details = outcome.details ?? null;
    try {
      await withDbRetry(() => this.logs.save(row), {
        ...this.dbRetry(`job ${row.jobName}: recording its outcome`),
        budgetMs: Math.max(0, deadline - Date.now()),
        // Aborted by a timeout or a shutdown interrupt: no more waiting then.
        signal,
      });
    } catch (error) {
      // The outcome is still logged and returned; the row stays `running` and is closed at the next boot.
      this.logger.error(
        `job ${row.jobName}: could not record its outcome: ${(error as Error).message}`,
      );
    }
    this.report(row);
    return this.toResult(row);
  }

  /** Retry settings for the runner's own rows: every retry is logged (an external fault). */
  private dbRetry(what: string): {
    what: string;
    onRetry: (info: { attempt: number; delayMs: number; error: Error }) => void;
  } {
    return {
      what,
      onRetry: ({ attempt, delayMs, error }) =>
        this.logger.warn(`${what} failed (${error.message}); retry ${attempt} in ${delayMs} ms`),
    };
  }

  private async skip(
    name: string,
    startedAt: Date,
    reason: string,
    triggeredBy: string,
  ): Promise<JobRunResult> {
    const row = this.logs.create({
      jobName: name,
      status: 'skipped',
      startTime: startedAt,
      endTime: new Date(),
      durationSeconds: 0,
      recordsProcessed: 0,
      errorMessage: null,
      details: { reason },
      instanceId: this.config.app.instanceId,
      triggeredBy,
    });
    try {
      await this.logs.save(row);
    } catch (error) {
      this.logger.warn(
        `job ${name}: could not record the skipped run: ${(error as Error).message}`,
      );
    }
    this.report(row, reason);
    return this.toResult(row);
  }

  /** The one log line (and metric) per run; structured fields for LOG_FORMAT=json. */
  private report(row: CronJobLog, reason?: string): void {
    const seconds = row.durationSeconds ?? 0;
    this.metrics.recordJob(row.jobName, row.status, seconds);
    const fields = {
      event: 'job_run',
      job: row.jobName,
      status: row.status,
      duration_seconds: Math.round(seconds * 1000) / 1000,
      records: row.recordsProcessed,
      log_id: row.id ?? null,
      ...(row.errorMessage ? { error: row.errorMessage } : {}),
      ...(reason ? { reason } : {}),
    };
    const text =
      `job ${row.jobName}: ${row.status} in ${seconds.toFixed(2)} s, ${row.recordsProcessed} records` +
      (row.errorMessage ? `: ${row.errorMessage}` : '') +
      (reason ? ` (${reason})` : '');
    if (row.status === 'failed') this.logger.error(text, fields);
    else if (row.status === 'partial') this.logger.warn(text, fields);
    else this.logger.log(text, fields);
  }

  private toResult(row: CronJobLog): JobRunResult {
    return {
      logId: row.id,
      status: row.status,
      durationSeconds: row.durationSeconds ?? 0,
      recordsProcessed: row.recordsProcessed,
      details: row.details,
      errorMessage: row.errorMessage,
    };
  }
}
