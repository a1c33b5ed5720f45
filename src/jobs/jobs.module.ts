import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CronJobLog } from './cron-job-log.entity';
import { JobScheduler } from './job-scheduler.service';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';

/**
 * Schedules, catch-up and the jobs API (the CLI
 * commands are in JobsCliModule, imported by CliModule only). The
 * runner itself is the global JobRunnerModule, so feature modules can
 * register steps without importing this one.
 */
@Module({
  imports: [TypeOrmModule.forFeature([CronJobLog])],
  controllers: [JobsController],
  providers: [JobsService, JobScheduler],
  exports: [JobsService, JobScheduler],
})
export class JobsModule {}
