import { LogLevel } from '@nestjs/common';
import { AppLogger } from '../platform/observability';

/**
 * The app's logger with every line on stderr: in the CLI, stdout carries the
 * command's output only, so `fx-pipeline job list | ...` sees a table and
 * nothing else.
 */
export class StderrLogger extends AppLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    _writeStreamType?: 'stdout' | 'stderr',
    errorStack?: unknown,
    params?: Record<string, unknown>,
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr', errorStack, params);
  }

  protected override printAsJson(
    message: unknown,
    options: Parameters<AppLogger['printAsJson']>[1],
  ): void {
    super.printAsJson(message, { ...options, writeStreamType: 'stderr' });
  }
}
