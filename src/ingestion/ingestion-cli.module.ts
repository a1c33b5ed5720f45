import { Module } from '@nestjs/common';
import { BackfillCommand } from './backfill.command';
import { CandlesGapsCommand } from './candles-gaps.command';
import { IngestionModule } from './ingestion.module';

/**
 * `backfill` and `candles:gaps`, imported by CliModule only: nest-commander is
 * CommonJS that require()s the ESM-only @nestjs/common, which works in the CLI
 * but not inside Jest's ESM runtime, where the integration tests boot AppModule.
 */
@Module({
  imports: [IngestionModule],
  providers: [BackfillCommand, CandlesGapsCommand],
})
export class IngestionCliModule {}
