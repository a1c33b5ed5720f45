import { Injectable } from '@nestjs/common';
import { JobName } from '../../platform/config';
import { JobContext, JobOutcome } from './job.types';

/** Options a job run can carry (the CLI's `--as-of`, `--instruments`, ...). */
export interface JobRunOptions {
  /** Compute "as of the end of this UTC day" instead of now (daily-correlation). */
  asOf?: Date;
  instruments?: readonly string[];
  dryRun?: boolean;
}

export interface StepContext extends JobContext {
  readonly options: JobRunOptions;
  /** Outcomes of the steps that already ran in this job, by step name. */
  readonly previous: Readonly<Record<string, JobOutcome>>;
}

/**
 * One step of a scheduled job, contributed by the feature module that owns
 * the work (candles adds `sync` to `hourly`, volatility adds `metrics` after
 * it). Steps run in `order`; a failing step is recorded and the next one
 * still runs, so metrics are computed for whatever was synced.
 */
export interface JobStep {
  job: JobName;
  name: string;
  order: number;
  run(ctx: StepContext): Promise<JobOutcome>;
}

/** Where feature modules register their job steps (in `onModuleInit`). */
@Injectable()
export class JobRegistry {
  private readonly registered: JobStep[] = [];

  register(step: JobStep): void {
    if (this.registered.some((s) => s.job === step.job && s.name === step.name)) {
      throw new Error(`job step ${step.job}/${step.name} registered twice`);
    }
    this.registered.push(step);
  }

  steps(job: JobName): JobStep[] {
    return this.registered.filter((s) => s.job === job).sort((a, b) => a.order - b.order);
  }

  /** Runs every step of a job in order and merges their outcomes into one. */
  async runSteps(job: JobName, ctx: JobContext, options: JobRunOptions = {}): Promise<JobOutcome> {
    const steps = this.steps(job);
    if (steps.length === 0) throw new Error(`job ${job} has no steps registered`);
    const previous: Record<string, JobOutcome> = {};
    const failures: string[] = [];
    let records = 0;
    let partial = false;
    for (const step of steps) {
      if (ctx.signal.aborted) {
        failures.push(`${step.name}: not run (job aborted)`);
        continue;
      }
      let outcome: JobOutcome;
      try {
        outcome = await step.run({ ...ctx, options, previous });
      } catch (error) {
        outcome = { status: 'failed', recordsProcessed: 0, errorMessage: (error as Error).message };
      }
      previous[step.name] = outcome;
      records += outcome.recordsProcessed;
      if (outcome.status === 'failed')
        failures.push(`${step.name}: ${outcome.errorMessage ?? 'failed'}`);
      if (outcome.status === 'partial') partial = true;
    }
    const allFailed = failures.length === steps.length;
    return {
      status: allFailed ? 'failed' : failures.length > 0 || partial ? 'partial' : 'success',
      recordsProcessed: records,
      errorMessage: failures.length ? failures.join('; ') : undefined,
      details: { steps: previous, ...(options.asOf ? { as_of: options.asOf.toISOString() } : {}) },
    };
  }
}
