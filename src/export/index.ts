// The export feature's public surface. ExportCliModule is left out on purpose: it loads
// nest-commander, which cannot load under Jest; src/cli.module.ts imports it by path.
export { ExportModule } from './export.module';
export { ExportService, type ExportTuning, type OpenedExport } from './export.service';
export {
  EXPORT_KINDS,
  EXPORT_FORMATS,
  type ExportKind,
  type ExportFormat,
  type ExportRequest,
} from './export-request';
