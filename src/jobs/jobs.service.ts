import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig, JOB_NAMES, JobName } from '../platform/config';
import { CronJobLog, JobStatus } from './cron-job-log.entity';
import { assertValidCron, JOB_DESCRIPTIONS, nextRuns, periodMs } from './job-schedule';
import { JobRegistry, JobRunOptions } from './runner/job-registry.service';
import { JobRunner } from './runner/job-runner.service';
import { quoted } from '../platform/validation';
import { JobOutcome, JobRunResult, RunJobOptions } from './runner/job.types';

/** A scheduled job as configured on this instance. */
export interface JobDefinition {
  name: JobName;
  description: string;
  cron: string;
  /** The job's own switch (HOURLY_JOB_ENABLED, ...). */
  enabled: boolean;
  /** Whether this instance schedules it: SCHEDULER_ENABLED and the job's switch. */
  scheduled: boolean;
  /** Longest gap between two runs, ms. */
  periodMs: number;
}

export interface JobSummary extends JobDefinition {
  nextRun: Date;
  lastRun: CronJobLog | null;
  lastSuccess: CronJobLog | null;
  runningHere: boolean;
}

export interface RunFilter {
  name?: string;
  status?: JobStatus;
  limit: number;
}

/** Thrown for a job name that is not one of the scheduled jobs; the message lists the valid ones. */
export class UnknownJobError extends NotFoundException {
  constructor(name: string) {
    // The name comes from a URL or a command line: quote a bounded part of it.
    super(`unknown job ${quoted(name)}; valid job names: ${JOB_NAMES.join(', ')}`);
  }
}

const OK_STATUSES: readonly JobStatus[] = ['success', 'partial'];

/**
 * The scheduled jobs: what they are, running one through the runner and the
 * step registry (the same path for cron ticks, catch-up, the CLI), and their
 * history from `cron_job_log`.
 */
@Injectable()
export class JobsService {
  readonly definitions: readonly JobDefinition[];

  constructor(
    private readonly runner: JobRunner,
    private readonly registry: JobRegistry,
    private readonly config: AppConfig,
    @InjectRepository(CronJobLog) private readonly logs: Repository<CronJobLog>,
  ) {
    const now = new Date();
    // Validated here so a bad expression stops the boot with the variable named, not at the first tick.
    this.definitions = JOB_NAMES.map((name) => {
      const cron = config.jobs.cron[name];
      assertValidCron(name, cron);
      const enabled = config.jobs.enabled[name];
      return {
        name,
        description: JOB_DESCRIPTIONS[name],
        cron,
        enabled,
        scheduled: config.jobs.schedulerEnabled && enabled,
        periodMs: periodMs(cron, now),
      };
    });
  }

  isJobName(name: string): name is JobName {
    return (JOB_NAMES as readonly string[]).includes(name);
  }

  definition(name: string): JobDefinition {
    const def = this.definitions.find((d) => d.name === name);
    if (!def) throw new UnknownJobError(name);
    return def;
  }

  /**
   * Runs a job's registered steps under the runner (lock, log row, timeout).
   * A dry run goes around the runner: every step computes and counts but
   * writes nothing, so there is no cron_job_log row either, and it takes no
   * lock (a dry run must not make a real scheduled run log `skipped`).
   */
  execute(
    name: JobName,
    options: JobRunOptions = {},
    runOptions: RunJobOptions = {},
  ): Promise<JobRunResult> {
    if (options.dryRun) return this.dryRun(name, options, runOptions);
    return this.runner.run(name, (ctx) => this.registry.runSteps(name, ctx, options), runOptions);
  }

  private async dryRun(
    name: JobName,
    options: JobRunOptions,
    runOptions: RunJobOptions,
  ): Promise<JobRunResult> {
    const startedAt = new Date();
    const controller = new AbortController();
    const seconds = runOptions.timeoutSeconds ?? this.config.jobs.timeoutSeconds;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`timed out after ${seconds} s`);
        controller.abort(error);
        reject(error);
      }, seconds * 1000);
    });
    let outcome: JobOutcome;
    try {
      outcome = await Promise.race([
        this.registry.runSteps(
          name,
          { name, signal: controller.signal, startedAt },
          { ...options, dryRun: true },
        ),
        timedOut,
      ]);
    } catch (error) {
      outcome = { status: 'failed', recordsProcessed: 0, errorMessage: (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
    return {
      logId: null,
      dryRun: true,
      status: outcome.status ?? 'success',
      durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
      recordsProcessed: outcome.recordsProcessed,
      details: { dry_run: true, ...outcome.details },
      errorMessage: outcome.errorMessage ?? null,
    };
  }

  /**
   * Starts a run for the admin API: resolves with the log id as soon as the
   * `running` row exists (the run goes on in the background), or with the id
   * of the run that holds the lock (null if none is visible, e.g. the
   * instance is shutting down) when this one is skipped. A dry run writes no
   * log row, so it resolves with its whole result once it is done.
   */
  start(
    name: JobName,
    options: JobRunOptions,
    triggeredBy: string,
  ): Promise<
    { started: number } | { dryRun: JobRunResult } | { skipped: string; runningId: number | null }
  > {
    return new Promise((resolve, reject) => {
      let started = false;
      const onStart = (logId: number): void => {
        started = true;
        resolve({ started: logId });
      };
      this.execute(name, options, { triggeredBy, onStart })
        .then(async (result) => {
          if (started) return;
          if (result.logId === null) return resolve({ dryRun: result });
          if (result.status !== 'skipped') return resolve({ started: result.logId });
          const reason = result.details?.reason;
          resolve({
            skipped: typeof reason === 'string' ? reason : 'skipped',
            runningId: (await this.runningRun(name))?.id ?? null,
          });
        })
        // After a 202 nobody awaits this; before it, the caller gets the error.
        .catch(reject);
    });
  }

  /** The newest `running` row of a job (on any instance). */
  runningRun(name: string): Promise<CronJobLog | null> {
    return this.logs.findOne({
      where: { jobName: name, status: 'running' },
      order: { startTime: 'DESC', id: 'DESC' },
    });
  }

  nextRun(name: JobName, from = new Date()): Date {
    return nextRuns(this.definition(name).cron, from)[0];
  }

  async lastRun(name: string): Promise<CronJobLog | null> {
    return this.logs.findOne({
      where: { jobName: name },
      order: { startTime: 'DESC', id: 'DESC' },
    });
  }

  /** Last run that did its work (success or partial); skipped and failed runs do not count. */
  async lastSuccess(name: string): Promise<CronJobLog | null> {
    return this.logs
      .createQueryBuilder('log')
      .where('log.job_name = :name AND log.status IN (:...ok)', { name, ok: OK_STATUSES })
      .orderBy('log.start_time', 'DESC')
      .addOrderBy('log.id', 'DESC')
      .limit(1)
      .getOne();
  }

  /** Recent runs, newest first. */
  async runs(filter: RunFilter): Promise<CronJobLog[]> {
    return this.logs.find({
      where: {
        ...(filter.name ? { jobName: filter.name } : {}),
        ...(filter.status ? { status: filter.status } : {}),
      },
      order: { startTime: 'DESC', id: 'DESC' },
      take: filter.limit,
    });
  }

  async summary(name: string, now = new Date()): Promise<JobSummary> {
    const def = this.definition(name);
    const [lastRun, lastSuccess] = await Promise.all([
      this.lastRun(def.name),
      this.lastSuccess(def.name),
    ]);
    return {
      ...def,
      nextRun: nextRuns(def.cron, now)[0],
      lastRun,
      lastSuccess,
      runningHere: this.runner.running().includes(def.name),
    };
  }

  async summaries(now = new Date()): Promise<JobSummary[]> {
    return Promise.all(this.definitions.map((d) => this.summary(d.name, now)));
  }
}
