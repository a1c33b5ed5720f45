import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { AppConfig, JobName } from '../platform/config';
import { isCatchUpDue, SCHEDULE_TIMEZONE } from './job-schedule';
import { JobsService } from './jobs.service';

export interface CatchUpDecision {
  job: JobName;
  due: boolean;
  lastSuccess: Date | null;
}

const cronName = (job: JobName): string => `job:${job}`;

/**
 * The schedules. Cron expressions come from config, so the CronJobs are
 * created at boot (SchedulerRegistry) rather than with static @Cron
 * decorators; each tick only gates and delegates to JobsService.execute,
 * which goes through the runner (advisory lock: one instance per tick).
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobScheduler.name);
  private stopping = false;
  /** The boot catch-up, when one was started (tests and shutdown wait on it). */
  catchUp: Promise<CatchUpDecision[]> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly schedulerRegistry: SchedulerRegistry,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobs.schedulerEnabled) {
      this.logger.log('scheduler disabled (SCHEDULER_ENABLED=false): no job runs on this instance');
      return;
    }
    for (const def of this.jobs.definitions) {
      if (!def.enabled) {
        this.logger.log(`job ${def.name}: disabled by its switch`);
        continue;
      }
      const job = CronJob.from({
        cronTime: def.cron,
        timeZone: SCHEDULE_TIMEZONE,
        onTick: () => this.tick(def.name),
        start: true,
        name: cronName(def.name),
      });
      this.schedulerRegistry.addCronJob(cronName(def.name), job);
      this.logger.log(
        `job ${def.name}: "${def.cron}" ${SCHEDULE_TIMEZONE}, next run ${job.nextDate().toUTC().toISO()}`,
      );
    }
    if (this.config.jobs.catchUpOnBoot) this.startCatchUpWhenListening();
  }

  /** The thin cron method: gate, then delegate; never throws into the cron library. */
  tick(name: JobName): void {
    if (this.stopping || !this.config.jobs.schedulerEnabled || !this.config.jobs.enabled[name])
      return;
    this.jobs.execute(name).catch((error: Error) => {
      this.logger.error(`job ${name}: scheduled run could not start: ${error.message}`);
    });
  }

  /** Stops the ticks first, so nothing new starts while the runner lets a running job finish. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const def of this.jobs.definitions) {
      if (this.schedulerRegistry.doesExist('cron', cronName(def.name)))
        this.schedulerRegistry.deleteCronJob(cronName(def.name));
    }
  }

  /**
   * Runs, one after another in schedule order (hourly data before the daily
   * correlation), every enabled job whose last successful run is older than
   * its period plus grace, so an instance that was down at 00:00 still
   * computes today's correlation.
   */
  async runCatchUp(now = new Date()): Promise<CatchUpDecision[]> {
    const decisions: CatchUpDecision[] = [];
    for (const def of this.jobs.definitions) {
      if (!def.scheduled || this.stopping) continue;
      const last = await this.jobs.lastSuccess(def.name);
      const due = isCatchUpDue(last?.startTime ?? null, now, def.periodMs);
      decisions.push({ job: def.name, due, lastSuccess: last?.startTime ?? null });
      if (!due) continue;
      const why = last
        ? `last succeeded at ${last.startTime.toISOString()}, more than its period (${def.periodMs / 3_600_000} h) plus grace ago`
        : 'never succeeded';
      this.logger.log(`catch-up: job ${def.name} ${why}: running it now`);
      await this.jobs.execute(def.name);
    }
    return decisions;
  }

  /** In the background once the HTTP server listens: a long catch-up never delays readiness. */
  private startCatchUpWhenListening(): void {
    const start = (): void => {
      this.catchUp = this.runCatchUp().catch((error: Error) => {
        this.logger.error(`catch-up failed: ${error.message}`);
        return [];
      });
    };
    const host = this.adapterHost;
    if (host?.httpAdapter && !host.listening) {
      // listen$ emits once and completes when app.listen() has bound the port.
      host.listen$.subscribe(() => start());
    } else {
      start();
    }
  }
}
