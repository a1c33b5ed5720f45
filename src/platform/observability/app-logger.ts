import { ConsoleLogger, ConsoleLoggerOptions, LogLevel } from '@nestjs/common';
import { StartupError } from '../database';

/**
 * Nest's ConsoleLogger plus the instance id on every JSON line, so logs of
 * several instances sharing one database can be told apart. Structured
 * params (`logger.log('job hourly: success', { job, status, ... })`) are
 * flattened into the JSON object; in text mode they follow the message on
 * the same line.
 */
export class AppLogger extends ConsoleLogger {
  private readonly hidden: ReadonlySet<string>;

  constructor(
    private readonly instanceId: string,
    options: ConsoleLoggerOptions,
    /** Contexts whose `log`-level lines are dropped (warnings and errors always pass). */
    hideContexts: readonly string[] = [],
  ) {
    super({ ...options, flattenParams: true });
    this.hidden = new Set(hideContexts);
  }

  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams[optionalParams.length - 1];
    if (typeof context === 'string' && this.hidden.has(context)) return;
    super.log(message, ...optionalParams);
  }

  override error(message: unknown, ...optionalParams: unknown[]): void {
    // main.ts and the CLI print a StartupError as one line with its hint; Nest's ExceptionHandler
    // would add it again with a stack trace that only buries the hint.
    if (message instanceof StartupError) return;
    super.error(message, ...optionalParams);
  }

  protected override getJsonLogObject(
    message: unknown,
    options: {
      context: string;
      logLevel: LogLevel;
      writeStreamType?: 'stdout' | 'stderr';
      errorStack?: unknown;
      params?: Record<string, unknown>;
      error?: Error;
    },
  ): ReturnType<ConsoleLogger['getJsonLogObject']> {
    return { ...super.getJsonLogObject(message, options), instance_id: this.instanceId };
  }
}
