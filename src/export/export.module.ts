import { Module } from '@nestjs/common';
import { CandlesModule } from '../candles';
import { CorrelationModule } from '../correlation';
import { VolatilityModule } from '../volatility';
import { ExportController } from './export.controller';
import { ExportSource } from './export-source';
import { ExportService } from './export.service';

/** GET /api/v1/export/{candles|metrics|correlations} and the service the CLI `export` uses. */
@Module({
  imports: [CandlesModule, VolatilityModule, CorrelationModule],
  controllers: [ExportController],
  providers: [ExportSource, ExportService],
  exports: [ExportService],
})
export class ExportModule {}
