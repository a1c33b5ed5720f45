import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { AppConfig } from '../platform/config';
import { csvChunks } from './csv-encoder';
import {
  CANDLE_COLUMNS,
  CORRELATION_COLUMNS,
  METRIC_COLUMNS,
  type ExportColumn,
  type ExportRow,
} from './export-columns';
import {
  CONTENT_TYPES,
  exportFilename,
  resolveExportRequest,
  type ExportKind,
  type ExportRequest,
  type RawExportFields,
} from './export-request';
import { ExportSource } from './export-source';
import { parquetChunks } from './parquet-encoder';

/** Rows per keyset query. */
export const DEFAULT_BATCH_SIZE = 5_000;
/** Rows per Parquet row group: ~50k rows x 17 columns stays a few MB while encoding. */
export const DEFAULT_ROW_GROUP_ROWS = 50_000;

const COLUMNS: Record<ExportKind, readonly ExportColumn[]> = {
  candles: CANDLE_COLUMNS,
  metrics: METRIC_COLUMNS,
  correlations: CORRELATION_COLUMNS,
};

export interface ExportTuning {
  batchSize?: number;
  rowGroupRows?: number;
  /** Called with each batch's row count as it is read (progress, tests). */
  onBatch?: (rows: number) => void;
}

export interface OpenedExport {
  filename: string;
  contentType: string;
  /** Byte stream; reading it drives the database reads (nothing is read ahead of the consumer). */
  stream: Readable;
}

/** Candles, metrics and correlations as streamed CSV or Parquet (REST and CLI). */
@Injectable()
export class ExportService {
  constructor(
    private readonly source: ExportSource,
    private readonly config: AppConfig,
  ) {}

  /** Validates the fields; throws ExportInputError naming the field (prefixed as the caller wrote it). */
  resolve(kind: ExportKind, raw: RawExportFields, prefix: '' | '--'): ExportRequest {
    return resolveExportRequest(kind, raw, {
      tracked: this.config.market.instruments,
      windows: this.config.analytics.correlationWindows,
      prefix,
    });
  }

  /**
   * The first batch is read before this resolves, so a database error still
   * becomes a proper error response instead of a truncated download.
   */
  async open(req: ExportRequest, tuning: ExportTuning = {}): Promise<OpenedExport> {
    const batches = this.source.batches(req, { batchSize: tuning.batchSize ?? DEFAULT_BATCH_SIZE });
    const first = await batches.next();
    const onBatch = tuning.onBatch;
    async function* rows(): AsyncGenerator<ExportRow[]> {
      if (first.done) return;
      onBatch?.(first.value.length);
      yield first.value;
      for await (const batch of batches) {
        onBatch?.(batch.length);
        yield batch;
      }
    }
    const columns = COLUMNS[req.kind];
    const chunks =
      req.format === 'csv'
        ? csvChunks(columns, rows())
        : parquetChunks(columns, rows(), {
            rowGroupRows: tuning.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS,
            createdBy: `fx-data-pipeline ${this.config.app.version}`,
          });
    return {
      filename: exportFilename(req),
      contentType: CONTENT_TYPES[req.format],
      // Byte mode: the stream buffers ~16 KB ahead of the consumer, not 16 chunks.
      stream: Readable.from(chunks, { objectMode: false }),
    };
  }
}
