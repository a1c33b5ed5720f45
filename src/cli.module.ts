import { Module } from '@nestjs/common';
import { AppModule } from './app.module';
import { AuthCliModule } from './auth/auth-cli.module';
import { CacheCliModule } from './cache/cache-cli.module';
import { ExportCliModule } from './export/export-cli.module';
import { IngestionCliModule } from './ingestion/ingestion-cli.module';
import { JobsCliModule } from './jobs/commands/jobs-cli.module';
import { VolatilityCliModule } from './volatility/volatility-cli.module';

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
    ExportCliModule,
    JobsCliModule,
    VolatilityCliModule,
  ],
})
export class CliModule {}
