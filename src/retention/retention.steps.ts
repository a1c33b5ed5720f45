import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobRegistry, StepContext } from '../jobs';
import { JobOutcome } from '../jobs';
import { RetentionResult, RetentionService } from './retention.service';
import { DAY_MS } from '../platform/time';

/** `--as-of D` means "as if run at the end of UTC day D". */
const reference = (ctx: StepContext): Date =>
  ctx.options.asOf ? new Date(ctx.options.asOf.getTime() + DAY_MS) : ctx.startedAt;

const toOutcome = (result: RetentionResult): JobOutcome => ({
  status: result.aborted ? 'partial' : 'success',
  recordsProcessed: result.total,
  ...(result.aborted ? { errorMessage: result.aborted } : {}),
  details: {
    dry_run: result.dryRun,
    ...(result.dryRun ? { would_delete: result.total } : {}),
    tables: Object.fromEntries(
      result.tables.map((t) => [t.table, { rows: t.rows, cutoff: t.cutoff }]),
    ),
  },
});

/**
 * Registers the steps of the `retention` job (data tables, then the audit
 * table) and of the separate hourly `audit-prune` job.
 */
@Injectable()
export class RetentionSteps implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly retention: RetentionService,
  ) {}

  onModuleInit(): void {
    const options = (ctx: StepContext) => ({
      now: reference(ctx),
      dryRun: ctx.options.dryRun,
      instruments: ctx.options.instruments,
      signal: ctx.signal,
    });
    this.registry.register({
      job: 'retention',
      name: 'data',
      order: 10,
      run: async (ctx) => toOutcome(await this.retention.purgeData(options(ctx))),
    });
    this.registry.register({
      job: 'retention',
      name: 'audit',
      order: 20,
      run: async (ctx) => toOutcome(await this.retention.pruneAudit(options(ctx))),
    });
    this.registry.register({
      job: 'audit-prune',
      name: 'audit',
      order: 10,
      run: async (ctx) => toOutcome(await this.retention.pruneAudit(options(ctx))),
    });
  }
}
