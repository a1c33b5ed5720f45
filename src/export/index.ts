/** The public surface of export: other folders import only what is exported here. */
export { ExportModule } from './export.module';
export { ExportService, type ExportTuning, type OpenedExport } from './export.service';
export {
  EXPORT_FORMATS,
  EXPORT_KINDS,
  type ExportFormat,
  type ExportKind,
  type ExportRequest,
} from './export-request';
