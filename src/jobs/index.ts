/** The public surface of jobs: other folders import only what is exported here. */
export { SCHEDULE_TIMEZONE, nextRuns } from './job-schedule';
export { JobsModule } from './jobs.module';
export { JobsService } from './jobs.service';
