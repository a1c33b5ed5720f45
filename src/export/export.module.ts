import { Module } from '@nestjs/common';
import { ExportController } from './export.controller';
import { ExportSourceStore } from './export-source.store';
import { ExportService } from './export.service';

/** GET /api/v1/export/{candles|metrics|correlations} and the service the CLI `export` uses. */
@Module({
  controllers: [ExportController],
  providers: [ExportSourceStore, ExportService],
  exports: [ExportService],
})
export class ExportModule {}
