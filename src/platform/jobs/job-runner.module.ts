import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CronJobLog } from './cron-job-log.entity';
import { JOB_PLANS, JobPlan, JobRegistry } from './job-registry.service';
import { JobRunner } from './job-runner.service';

/**
 * The runner and the step registry, global, so feature modules (candles'
 * backfill, the analytics steps) can log runs without depending on the
 * schedules in JobsModule. `plans` are the app's job definitions: the step
 * order, and the list the boot checks the `@JobStep` methods against.
 */
@Module({})
export class JobRunnerModule {
  static forRoot(plans: readonly JobPlan[]): DynamicModule {
    return {
      module: JobRunnerModule,
      global: true,
      imports: [TypeOrmModule.forFeature([CronJobLog]), DiscoveryModule],
      providers: [JobRunner, JobRegistry, { provide: JOB_PLANS, useValue: plans }],
      exports: [JobRunner, JobRegistry],
    };
  }
}
