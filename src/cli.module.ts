import { Module } from '@nestjs/common';
import { AppModule } from './app.module';

/**
 * The CLI runs the same modules as the server, but never schedules cron jobs
 * or holds the live price stream: a long backfill must not fight the server.
 */
@Module({
  imports: [AppModule.forRoot({ SCHEDULER_ENABLED: 'false', PRICE_STREAM_ENABLED: 'false' })],
})
export class CliModule {}
