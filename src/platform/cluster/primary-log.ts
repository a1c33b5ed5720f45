export type PrimaryLogLevel = 'log' | 'warn' | 'error';

/** LOG_LEVEL's order (as Nest's): a level shows everything before it too. */
const LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'];

export interface PrimaryLog {
  log(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * The cluster primary's log lines, in the shape of the workers' Nest logger
 * (AppLogger): JSON lines with level, pid, timestamp, context and instance_id
 * when LOG_FORMAT=json, Nest-like text otherwise. Written by hand because the
 * primary never loads Nest: it only forks and watches the workers.
 */
export function primaryLog(
  options: { json: boolean; instanceId: string; level: string },
  write: (level: PrimaryLogLevel, line: string) => void = (level, line) =>
    // As Nest's ConsoleLogger: errors to stderr, the rest to stdout.
    (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`),
): PrimaryLog {
  const shown = LEVELS.slice(0, Math.max(0, LEVELS.indexOf(options.level)) + 1);
  const emit = (level: PrimaryLogLevel, message: string, fields: Record<string, unknown> = {}) => {
    if (!shown.includes(level)) return;
    if (options.json) {
      write(
        level,
        JSON.stringify({
          level,
          pid: process.pid,
          timestamp: Date.now(),
          message,
          context: 'Cluster',
          ...fields,
          instance_id: options.instanceId,
        }),
      );
      return;
    }
    const time = new Date().toLocaleString();
    write(
      level,
      `[Nest] ${process.pid}  - ${time} ${level.toUpperCase().padStart(7)} [Cluster] ${message}`,
    );
  };
  return {
    log: (message, fields) => emit('log', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}
