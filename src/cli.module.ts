import { Module } from '@nestjs/common';
import { AppModule } from './app.module';
import { AuthCliModule } from './auth';
import { CacheCliModule } from './cache';
import { IngestionCliModule } from './ingestion';
import { JobsCliModule } from './jobs';
import { VolatilityCliModule } from './volatility';

/**
 * The CLI runs the same modules as the server, but never schedules cron jobs
 * or holds the live price stream: a long backfill must not fight the server.
 */
@Module({
  imports: [
    AppModule.forRoot({ SCHEDULER_ENABLED: 'false', PRICE_STREAM_ENABLED: 'false' }),
    // Command modules live here, not in AppModule: nest-commander cannot load under Jest (see CacheCliModule).
    AuthCliModule,
    CacheCliModule,
    IngestionCliModule,
    JobsCliModule,
    VolatilityCliModule,
  ],
})
export class CliModule {}
