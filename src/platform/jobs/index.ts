/** The public surface of platform/jobs: other folders import only what is exported here. */
export { CronJobLog, JOB_STATUSES } from './cron-job-log.entity';
export type { JobStatus } from './cron-job-log.entity';
export { JobRegistry, JobStepsMismatchError } from './job-registry.service';
export type { JobPlan, JobRunOptions, RegisteredStep, StepContext } from './job-registry.service';
export { JobRunnerModule } from './job-runner.module';
export { INTERRUPTED_BY_SHUTDOWN, JobRunner, PROCESS_DIED } from './job-runner.service';
export { JobStep } from './job-step.decorator';
export type { JobContext, JobOutcome, JobRunResult, RunJobOptions } from './job.types';
