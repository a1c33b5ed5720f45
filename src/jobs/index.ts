/** The public surface of jobs: other folders import only what is exported here. */
export { CronJobLog } from './cron-job-log.entity';
export { SCHEDULE_TIMEZONE, nextRuns } from './job-schedule';
export { JobsModule } from './jobs.module';
export { JobsService } from './jobs.service';
export { JobRegistry } from './runner/job-registry.service';
export type { StepContext } from './runner/job-registry.service';
export { JobRunnerModule } from './runner/job-runner.module';
export { JobRunner } from './runner/job-runner.service';
export type { JobOutcome, JobRunResult } from './runner/job.types';
