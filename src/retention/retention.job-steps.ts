import { Injectable } from '@nestjs/common';
import { JobStep, type JobOutcome, type StepContext } from '../platform/jobs';
import { DAY_MS } from '../platform/time';
import { RetentionOptions, RetentionResult, RetentionService } from './retention.service';

/** `--as-of D` means "as if run at the end of UTC day D". */
const reference = (ctx: StepContext): Date =>
  ctx.options.asOf ? new Date(ctx.options.asOf.getTime() + DAY_MS) : ctx.startedAt;

const options = (ctx: StepContext): RetentionOptions => ({
  now: reference(ctx),
  dryRun: ctx.options.dryRun,
  instruments: ctx.options.instruments,
  signal: ctx.signal,
});

const toOutcome = (result: RetentionResult): JobOutcome => ({
  status: result.aborted ? 'partial' : 'success',
  recordsProcessed: result.total,
  ...(result.aborted ? { errorMessage: result.aborted } : {}),
  details: {
    dry_run: result.dryRun,
    ...(result.dryRun ? { would_delete: result.total } : {}),
    tables: Object.fromEntries(
      result.tables.map((t) => [
        t.table,
        {
          rows: t.rows,
          cutoff: t.cutoff,
          ...(t.partitions !== undefined ? { partitions_dropped: t.partitions } : {}),
        },
      ]),
    ),
  },
});

/**
 * The steps of the `retention` job (partitions ahead, data tables, then the audit table) and of
 * the separate hourly `audit-prune` job; their order is in
 * src/platform/config/job-definitions.ts.
 */
@Injectable()
export class RetentionJobSteps {
  constructor(private readonly retention: RetentionService) {}

  @JobStep('retention', 'partitions')
  async partitions(ctx: StepContext): Promise<JobOutcome> {
    // Partitions are made from the real clock (--as-of only moves cutoffs); a dry run only counts.
    const names = await this.retention.maintainPartitions({ dryRun: ctx.options.dryRun });
    return {
      status: 'success',
      // Partitions are not records: the job's count stays the rows removed.
      recordsProcessed: 0,
      details: ctx.options.dryRun
        ? { dry_run: true, would_create: names }
        : { dry_run: false, created: names },
    };
  }

  @JobStep('retention', 'data')
  async data(ctx: StepContext): Promise<JobOutcome> {
    return toOutcome(await this.retention.purgeData(options(ctx)));
  }

  @JobStep('retention', 'audit')
  async audit(ctx: StepContext): Promise<JobOutcome> {
    return toOutcome(await this.retention.pruneAudit(options(ctx)));
  }

  @JobStep('audit-prune', 'audit')
  async auditPrune(ctx: StepContext): Promise<JobOutcome> {
    return toOutcome(await this.retention.pruneAudit(options(ctx)));
  }
}
