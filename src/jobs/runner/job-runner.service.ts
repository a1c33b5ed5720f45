import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { tryAdvisoryLock } from '../../database/advisory-lock';
import { CronJobLog, JobStatus } from '../cron-job-log.entity';
import { JobContext, JobOutcome, JobRunResult, RunJobOptions, RunnableJobName } from './job.types';

class JobTimeoutError extends Error {
  constructor(seconds: number) {
    super(`timed out after ${seconds} s`);
  }
}

/**
 * Every job goes through here: take the job's advisory lock (another instance
 * or an overlapping tick logs `skipped`), log `running`, run with a timeout,
 * then log the outcome. The job function never throws past this point.
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger(JobRunner.name);
  private readonly active = new Map<string, AbortController>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    @InjectRepository(CronJobLog) private readonly logs: Repository<CronJobLog>,
  ) {}

  async run(
    name: RunnableJobName,
    job: (ctx: JobContext) => Promise<JobOutcome>,
    options: RunJobOptions = {},
  ): Promise<JobRunResult> {
    const startedAt = new Date();
    const lock = await tryAdvisoryLock(this.dataSource, `job:${name}`);
    if (!lock) {
      const row = await this.logs.save(
        this.logs.create({
          jobName: name,
          status: 'skipped',
          startTime: startedAt,
          endTime: new Date(),
          durationSeconds: 0,
          recordsProcessed: 0,
          details: { reason: 'another run holds the lock' },
          instanceId: this.config.app.instanceId,
        }),
      );
      this.logger.log(`job ${name}: skipped (another run holds the lock)`);
      return this.toResult(row);
    }

    const controller = new AbortController();
    this.active.set(name, controller);
    const row = await this.logs.save(
      this.logs.create({
        jobName: name,
        status: 'running',
        startTime: startedAt,
        recordsProcessed: 0,
        instanceId: this.config.app.instanceId,
      }),
    );
    const timeoutSeconds = options.timeoutSeconds ?? this.config.jobs.timeoutSeconds;
    let timer: NodeJS.Timeout | undefined;
    let status: JobStatus;
    let outcome: JobOutcome;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort(new JobTimeoutError(timeoutSeconds));
          reject(new JobTimeoutError(timeoutSeconds));
        }, timeoutSeconds * 1000);
      });
      outcome = await Promise.race([job({ name, signal: controller.signal, startedAt }), timeout]);
      status = outcome.status ?? 'success';
    } catch (error) {
      status = 'failed';
      outcome = { recordsProcessed: 0, errorMessage: (error as Error).message };
    } finally {
      clearTimeout(timer);
      this.active.delete(name);
    }
    try {
      const endTime = new Date();
      row.status = status;
      row.endTime = endTime;
      row.durationSeconds = (endTime.getTime() - startedAt.getTime()) / 1000;
      row.recordsProcessed = outcome.recordsProcessed;
      row.errorMessage = outcome.errorMessage ?? null;
      row.details = outcome.details ?? null;
      await this.logs.save(row);
      const line = `job ${name}: ${status} in ${row.durationSeconds.toFixed(2)} s, ${row.recordsProcessed} records`;
      if (status === 'failed') this.logger.error(`${line}: ${row.errorMessage ?? ''}`);
      else this.logger.log(line);
      return this.toResult(row);
    } finally {
      await lock.release();
    }
  }

  /** Names of jobs running in this process right now. */
  running(): string[] {
    return [...this.active.keys()];
  }

  /** Asks every running job to stop (shutdown). */
  abortAll(reason = 'shutting down'): void {
    for (const controller of this.active.values()) controller.abort(new Error(reason));
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
