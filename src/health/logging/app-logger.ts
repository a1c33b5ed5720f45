import { ConsoleLogger, ConsoleLoggerOptions, LogLevel } from '@nestjs/common';

/**
 * Nest's ConsoleLogger plus the instance id on every JSON line, so logs of
 * several instances sharing one database can be told apart. Structured
 * params (`logger.log('job hourly: success', { job, status, ... })`) are
 * flattened into the JSON object; in text mode they follow the message on
 * the same line.
 */
export class AppLogger extends ConsoleLogger {
  constructor(
    private readonly instanceId: string,
    options: ConsoleLoggerOptions,
  ) {
    super({ ...options, flattenParams: true });
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
