import { Command, CommandRunner, Option } from 'nest-commander';
import { AppConfig } from '../platform/config';
import { CandleGapsService } from './candle-gaps.service';
import { CliOptionError, parseCandleCliOptions, type RawCandleCliOptions } from './cli-options';
import { formatGap, missingCount } from './gap-finder';
import { historyWindowStart } from './history-window';
import { UnsupportedGranularityError } from '../platform/time';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/**
 * `npm run cli -- candles:gaps [--instruments A,B] [--days N] [--granularity H1]
 * [--from ISO --to ISO]`: missing complete candles inside trading hours, one
 * line per run of missing candles. Exit code 0 whether or not there are gaps.
 */
@Command({
  name: 'candles:gaps',
  description: 'List missing candles inside trading hours (the weekend closure is not a gap)',
})
export class CandlesGapsCommand extends CommandRunner {
  constructor(
    private readonly gaps: CandleGapsService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async run(_params: string[], raw: RawCandleCliOptions): Promise<void> {
    const now = new Date();
    let options;
    try {
      options = parseCandleCliOptions(raw, {
        tracked: this.config.market.instruments,
        now,
        // The window the hourly sync keeps filled: a longer default would report retention's deletions as gaps.
        defaultDays: this.config.retention.days,
      });
    } catch (error) {
      if (!(error instanceof CliOptionError)) throw error;
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    const { granularity } = options;
    try {
      // The same window start as the initial sync, so a clean first fill has no gap at its edge.
      const from = options.from ?? historyWindowStart(now, options.days, granularity);
      const to = options.to ?? now;
      out(`gaps in ${granularity} candles from ${from.toISOString()} to ${to.toISOString()}:`);
      let total = 0;
      for (const instrument of options.instruments) {
        const gaps = await this.gaps.find({ instrument, granularity, from, to, now });
        for (const gap of gaps) out(`${instrument} ${formatGap(gap)}`);
        const missing = missingCount(gaps);
        total += missing;
        out(
          gaps.length === 0
            ? `${instrument}: no gaps`
            : `${instrument}: ${gaps.length} gap(s), ${missing} missing candle(s)`,
        );
      }
      out(`total: ${total} missing candle(s) in ${options.instruments.length} instrument(s)`);
    } catch (error) {
      if (!(error instanceof UnsupportedGranularityError)) throw error;
      process.stderr.write(`candles:gaps: --granularity: ${error.message}\n`);
      process.exitCode = 2;
    }
  }

  @Option({
    flags: '--days <days>',
    description: 'Look back this many days (default DATA_RETENTION_DAYS, 365)',
  })
  parseDays(value: string): string {
    return value;
  }

  @Option({ flags: '--instruments <list>', description: 'Comma-separated (default: all tracked)' })
  parseInstruments(value: string): string {
    return value;
  }

  @Option({ flags: '--granularity <granularity>', description: 'S5 .. H1 (default H1)' })
  parseGranularity(value: string): string {
    return value;
  }

  @Option({ flags: '--from <iso>', description: 'With --to: scan this range instead of --days' })
  parseFrom(value: string): string {
    return value;
  }

  @Option({ flags: '--to <iso>', description: 'End of the range (exclusive)' })
  parseTo(value: string): string {
    return value;
  }
}
