import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { AppConfig, JOB_NAMES } from '../../platform/config';
import { InstrumentListError, parseInstrumentList } from '../../platform/config';
import { parseCalendarDay, parseStrictInt, type Parsed } from '../../platform/validation';
import { SCHEDULE_TIMEZONE } from '../job-schedule';
import { JobsService, UnknownJobError } from '../jobs.service';
import { formatTable } from '../../platform/cli';
import { formatRunResult, runExitCode } from './job-output';

/** Raw option values; validated in `run` so a mistake is one clear line, not a stack trace. */
interface RawRunOptions {
  asOf?: string;
  instruments?: string;
  dryRun?: boolean;
  timeout?: string;
}

/** A bad job name or option, like `backfill`'s bad options. */
export const EXIT_USAGE = 2;

/** Longest `--timeout` accepted: a week. */
const MAX_TIMEOUT_SECONDS = 7 * 86400;

/** Errors the user can fix: printed as one line, exit code 2, no stack. */
class UsageError extends Error {}

/**
 * `npm run cli -- job run <name> [--as-of YYYY-MM-DD] [--instruments A,B] [--dry-run]`:
 * the same runner and steps as the schedule (lock, cron_job_log row, timeout).
 * Works with the scheduler off (the CLI always runs with SCHEDULER_ENABLED=false).
 */
@SubCommand({
  name: 'run',
  arguments: '<name>',
  description: `Run a job now: ${JOB_NAMES.join(', ')}`,
  argsDescription: { name: `one of ${JOB_NAMES.join(', ')}` },
})
export class JobRunCommand extends CommandRunner {
  constructor(
    private readonly jobs: JobsService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async run([name]: string[], options: RawRunOptions = {}): Promise<void> {
    try {
      if (!this.jobs.isJobName(name)) throw new UnknownJobError(name);
      const asOf = options.asOf === undefined ? undefined : parseDay(options.asOf);
      const instruments =
        options.instruments === undefined ? undefined : this.parseInstruments(options.instruments);
      const timeoutSeconds =
        options.timeout === undefined ? undefined : parseTimeout(options.timeout);
      const result = await this.jobs.execute(
        name,
        { asOf, instruments, dryRun: options.dryRun ?? false },
        { timeoutSeconds, triggeredBy: 'cli' },
      );
      process.stdout.write(`${formatRunResult(name, result)}\n`);
      process.exitCode = runExitCode(result.status);
    } catch (error) {
      if (!(error instanceof UsageError || error instanceof UnknownJobError)) throw error;
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = EXIT_USAGE;
    }
  }

  @Option({
    flags: '--as-of <date>',
    description: 'Compute as of the end of this UTC day (YYYY-MM-DD)',
  })
  asOf(value: string): string {
    return value;
  }

  @Option({
    flags: '--instruments <list>',
    description: 'Comma-separated instruments to restrict the job to (e.g. EUR_USD,GBP_USD)',
  })
  instruments(value: string): string {
    return value;
  }

  @Option({ flags: '--dry-run', description: 'Report what would change without writing' })
  dryRun(): boolean {
    return true;
  }

  @Option({
    flags: '--timeout <seconds>',
    description: 'Fail the run after this many seconds (default JOB_TIMEOUT_SECONDS)',
  })
  timeout(value: string): string {
    return value;
  }

  private parseInstruments(value: string): string[] {
    try {
      return parseInstrumentList(value, this.config.market.instruments);
    } catch (error) {
      if (error instanceof InstrumentListError) throw new UsageError(error.message);
      throw error;
    }
  }
}

/** The value of a parsed option, or a UsageError "--name <reason>". */
function option<T>(name: string, parsed: Parsed<T>): T {
  if (!parsed.ok) throw new UsageError(`--${name} ${parsed.reason}`);
  return parsed.value;
}

const parseDay = (value: string): Date => option('as-of', parseCalendarDay(value));

const parseTimeout = (value: string): number =>
  option('timeout', parseStrictInt(value, { min: 1, max: MAX_TIMEOUT_SECONDS }));

/** `npm run cli -- job list`: schedules, switches, next run, last run and its status. */
@SubCommand({ name: 'list', description: 'List the scheduled jobs with next and last runs' })
export class JobListCommand extends CommandRunner {
  constructor(private readonly jobs: JobsService) {
    super();
  }

  async run(): Promise<void> {
    const summaries = await this.jobs.summaries();
    const rows = summaries.map((s) => [
      s.name,
      `${s.cron} (${SCHEDULE_TIMEZONE})`,
      s.enabled ? 'yes' : 'no',
      s.nextRun.toISOString(),
      s.lastRun ? s.lastRun.startTime.toISOString() : '-',
      s.lastRun ? s.lastRun.status : '-',
    ]);
    process.stdout.write(
      `${formatTable(['NAME', 'SCHEDULE', 'ENABLED', 'NEXT RUN', 'LAST RUN', 'LAST STATUS'], rows)}\n`,
    );
  }
}

@Command({
  name: 'job',
  description: 'Scheduled jobs: `job run <name>`, `job list`',
  subCommands: [JobRunCommand, JobListCommand],
})
export class JobCommand extends CommandRunner {
  async run(): Promise<void> {
    // `job` alone: show what it can do instead of doing nothing silently.
    this.command.outputHelp();
  }
}
