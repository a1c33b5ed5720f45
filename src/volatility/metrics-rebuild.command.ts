import { Logger } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { AppConfig } from '../platform/config';
import { parseInstrumentList } from '../platform/config';
import { JobRunner } from '../jobs';
import { VolatilityService } from './volatility.service';

interface RebuildOptions {
  instruments?: string[];
}

/**
 * `npm run cli -- metrics:rebuild [--instruments EUR_USD,GBP_USD]`: recomputes
 * every metric row from the stored candles (after a backfill, a gap fill or a
 * change of HV_PERIODS_PER_YEAR). Logged in cron_job_log as `metrics-rebuild`.
 */
@Command({
  name: 'metrics:rebuild',
  description: 'Recompute volatility metrics and indicators over the whole stored history',
})
export class MetricsRebuildCommand extends CommandRunner {
  private readonly logger = new Logger(MetricsRebuildCommand.name);

  constructor(
    private readonly volatility: VolatilityService,
    private readonly runner: JobRunner,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async run(_params: string[], options: RebuildOptions = {}): Promise<void> {
    const instruments = options.instruments ?? [...this.config.market.instruments];
    const result = await this.runner.run('metrics-rebuild', (ctx) =>
      this.volatility.run(instruments, 'all', ctx.signal),
    );
    this.logger.log(
      `metrics:rebuild ${result.status}: ${result.recordsProcessed} rows written for ${instruments.length} instrument(s) in ${result.durationSeconds.toFixed(2)} s`,
    );
    console.log(JSON.stringify({ job: 'metrics-rebuild', ...result }, null, 2));
    if (result.status === 'failed' || result.status === 'skipped') process.exitCode = 1;
  }

  @Option({
    flags: '--instruments <list>',
    description: 'Comma-separated instruments (default: every tracked instrument)',
  })
  parseInstruments(value: string): string[] {
    return parseInstrumentList(value, this.config.market.instruments);
  }
}
