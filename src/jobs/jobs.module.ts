import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CronJobLog } from '../platform/jobs/cron-job-log.entity';
import { JobScheduler } from './job-scheduler.service';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';
import { RetentionService } from './retention/retention.service';
import { RetentionJobSteps } from './retention/retention.job-steps';

/**
 * Schedules, catch-up, the jobs API and the retention jobs (the CLI
 * commands are in JobsCliModule, imported by CliModule only). The
 * runner itself is the global JobRunnerModule, so feature modules can
 * register steps without importing this one.
 */
@Module({
  imports: [TypeOrmModule.forFeature([CronJobLog])],
  controllers: [JobsController],
  providers: [JobsService, JobScheduler, RetentionService, RetentionJobSteps],
  exports: [JobsService, JobScheduler, RetentionService],
})
export class JobsModule {}
