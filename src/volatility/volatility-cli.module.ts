import { Module } from '@nestjs/common';
import { MetricsRebuildCommand } from './metrics-rebuild.command';
import { VolatilityModule } from './volatility.module';

/**
 * `metrics:rebuild`, imported by CliModule only: nest-commander is CommonJS
 * that require()s the ESM-only @nestjs/common, which works in the CLI but not
 * inside Jest's ESM runtime, where the integration tests boot AppModule.
 */
@Module({
  imports: [VolatilityModule],
  providers: [MetricsRebuildCommand],
})
export class VolatilityCliModule {}
