import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CronJobLog } from './cron-job-log.entity';
import { JobRegistry } from './job-registry.service';
import { JobRunner } from './job-runner.service';

/**
 * The runner on its own, global, so feature modules (candles' backfill, the
 * analytics steps) can log runs without depending on the schedules in JobsModule.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([CronJobLog])],
  providers: [JobRunner, JobRegistry],
  exports: [JobRunner, JobRegistry],
})
export class JobRunnerModule {}
