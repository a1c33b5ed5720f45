import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Command, CommandRunner, Option } from 'nest-commander';
import {
  EXPORT_KINDS,
  ExportInputError,
  type ExportKind,
  type RawExportFields,
} from './export-request';
import { ExportService } from './export.service';

interface RawExportOptions extends RawExportFields {
  out?: string;
}

/**
 * `npm run cli -- export <candles|metrics|correlations> [--instruments A,B]
 * [--from ISO] [--to ISO] [--granularity H1] [--window 100] [--format csv|parquet]
 * [--out FILE]`: the same export as GET /api/v1/export/<kind>. Without --out
 * (or with `-`) the file goes to stdout; with --out it is written to
 * FILE.partial and renamed when complete, so a failed export leaves no
 * half file behind. --format defaults to parquet when FILE ends in .parquet.
 * Exit code 2 for a bad option.
 */
@Command({
  name: 'export',
  arguments: '<kind>',
  description: 'Export candles, metrics or correlations for a range as CSV or Parquet (streamed)',
})
export class ExportCommand extends CommandRunner {
  constructor(private readonly exports: ExportService) {
    super();
  }

  async run(params: string[], options: RawExportOptions): Promise<void> {
    const [kind] = params;
    const { out, ...fields } = options;
    if (!(EXPORT_KINDS as readonly string[]).includes(kind)) {
      process.stderr.write(`error: <kind> must be one of ${EXPORT_KINDS.join(', ')}\n`);
      process.exitCode = 2;
      return;
    }
    if (fields.format === undefined && out?.endsWith('.parquet')) fields.format = 'parquet';
    let request;
    try {
      request = this.exports.resolve(kind as ExportKind, fields, '--');
    } catch (error) {
      if (!(error instanceof ExportInputError)) throw error;
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    let rows = 0;
    const opened = await this.exports.open(request, { onBatch: (n) => (rows += n) });
    if (out === undefined || out === '-') {
      await pipeline(opened.stream, process.stdout);
    } else {
      const partial = `${out}.partial`;
      try {
        await pipeline(opened.stream, createWriteStream(partial));
        await rename(partial, out);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
    }
    process.stderr.write(
      `exported ${rows} ${request.kind} row(s) as ${request.format} to ${out && out !== '-' ? out : 'stdout'}\n`,
    );
  }

  @Option({ flags: '--instruments <list>', description: 'Comma-separated (default: all tracked)' })
  parseInstruments(value: string): string {
    return value;
  }

  @Option({ flags: '--from <iso>', description: 'Earliest time, inclusive (ISO-8601 or a date)' })
  parseFrom(value: string): string {
    return value;
  }

  @Option({ flags: '--to <iso>', description: 'Latest time, inclusive (ISO-8601 or a date)' })
  parseTo(value: string): string {
    return value;
  }

  @Option({ flags: '--granularity <granularity>', description: 'candles only (default H1)' })
  parseGranularity(value: string): string {
    return value;
  }

  @Option({ flags: '--window <n>', description: 'correlations only: one window (default all)' })
  parseWindow(value: string): string {
    return value;
  }

  @Option({ flags: '--format <format>', description: 'csv or parquet (default csv)' })
  parseFormat(value: string): string {
    return value;
  }

  @Option({ flags: '--out <file>', description: 'Output file (default stdout)' })
  parseOut(value: string): string {
    return value;
  }
}
