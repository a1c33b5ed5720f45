import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs.module';
import { JobCommand, JobListCommand, JobRunCommand } from './job.commands';

/**
 * `job run` / `job list`, imported by CliModule only. Kept out of JobsModule
 * (and so out of AppModule) because nest-commander is CommonJS that
 * require()s the ESM-only @nestjs/common: fine in the CLI under Node's
 * require(esm), but it cannot load in Jest's ESM runtime, where every
 * integration test boots AppModule.
 */
@Module({
  imports: [JobsModule],
  providers: [JobCommand, JobRunCommand, JobListCommand],
})
export class JobsCliModule {}
