import { Command, CommandRunner, Option } from 'nest-commander';
import { AppConfig } from '../platform/config';
import { BarProgress, LineProgress } from './backfill-progress';
import { formatBackfillSummary } from './backfill-report';
import { BackfillService } from './backfill.service';
import { CliOptionError, parseCandleCliOptions, type RawCandleCliOptions } from './cli-options';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/**
 * `npm run cli -- backfill [--days 365] [--instruments A,B] [--granularity H1]
 * [--from ISO --to ISO] [--with-metrics]`. Exit code 0 when every instrument
 * succeeded, 1 when any failed (after doing the others), 2 for bad options.
 */
@Command({
  name: 'backfill',
  description:
    'Fetch missing candles from the provider and store them (resumable: only what is missing is fetched)',
})
export class BackfillCommand extends CommandRunner {
  constructor(
    private readonly backfill: BackfillService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async run(_params: string[], raw: RawCandleCliOptions): Promise<void> {
    let options;
    try {
      options = parseCandleCliOptions(raw, {
        tracked: this.config.market.instruments,
        now: new Date(),
      });
    } catch (error) {
      if (!(error instanceof CliOptionError)) throw error;
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }

    const bars = process.stdout.isTTY ? new BarProgress() : undefined;
    const progress = bars ?? new LineProgress(out);
    out(
      `backfill ${options.instruments.length} instrument(s), ${options.granularity}, ` +
        (options.from && options.to
          ? `holes between ${options.from.toISOString()} and ${options.to.toISOString()}`
          : `last ${options.days} day(s), resuming after the last stored candle`) +
        ` (provider: ${this.config.market.provider})`,
    );
    let run;
    try {
      run = await this.backfill.run({
        instruments: options.instruments,
        granularity: options.granularity,
        days: options.days,
        from: options.from,
        to: options.to,
        concurrency: options.concurrency,
        withHooks: options.withMetrics,
        timeoutSeconds: options.timeoutSeconds,
        progress,
      });
    } finally {
      bars?.stop();
    }

    if (run.job.status === 'skipped') {
      process.stderr.write(
        'backfill: another backfill is running (it holds the lock); try again later\n',
      );
      process.exitCode = 1;
      return;
    }
    out('');
    out(formatBackfillSummary(run.results));
    for (const [name, hook] of Object.entries(run.hooks)) {
      out(
        hook.error
          ? `after-backfill ${name}: FAILED: ${hook.error}`
          : `after-backfill ${name}: ${hook.recordsProcessed} records`,
      );
    }
    const holes = run.results.filter((r) => r.gaps && r.gaps.length > 0).length;
    if (holes > 0 && !options.from)
      out(
        `${holes} instrument(s) still have gaps (run "candles:gaps" to list them, ` +
          '"backfill --from ISO --to ISO" to fill them; weekends are never gaps)',
      );
    out(
      `cron_job_log #${run.job.logId}: ${run.job.status} in ${run.job.durationSeconds.toFixed(1)} s`,
    );
    if (run.job.status !== 'success') {
      if (run.job.errorMessage) process.stderr.write(`backfill: ${run.job.errorMessage}\n`);
      process.exitCode = 1;
    }
  }

  @Option({
    flags: '--days <days>',
    description: 'How far back to start when nothing is stored (default 365)',
  })
  parseDays(value: string): string {
    return value;
  }

  @Option({
    flags: '--instruments <list>',
    description: 'Comma-separated instruments (default: every tracked one)',
  })
  parseInstruments(value: string): string {
    return value;
  }

  @Option({ flags: '--granularity <granularity>', description: 'Candle granularity (default H1)' })
  parseGranularity(value: string): string {
    return value;
  }

  @Option({ flags: '--from <iso>', description: 'With --to: fill the holes in this range only' })
  parseFrom(value: string): string {
    return value;
  }

  @Option({ flags: '--to <iso>', description: 'End of the range (exclusive), with --from' })
  parseTo(value: string): string {
    return value;
  }

  @Option({ flags: '--concurrency <n>', description: 'Instruments fetched at once (default 4)' })
  parseConcurrency(value: string): string {
    return value;
  }

  @Option({
    flags: '--timeout <seconds>',
    description: 'Abort after this long (default JOB_TIMEOUT_SECONDS)',
  })
  parseTimeout(value: string): string {
    return value;
  }

  @Option({ flags: '--with-metrics', description: 'Rebuild derived metrics afterwards' })
  parseWithMetrics(): boolean {
    return true;
  }
}
