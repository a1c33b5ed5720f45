import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { JobStepMarker } from './job-step.decorator';
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

export type StepRun = (ctx: StepContext) => Promise<JobOutcome>;

/**
 * What the registry needs to know of a job: its name and its step names in
 * run order. The app passes its job definitions (src/platform/config/job-definitions.ts)
 * through JobRunnerModule.forRoot, so this layer knows no feature.
 */
export interface JobPlan {
  readonly name: string;
  readonly steps: readonly { readonly name: string }[];
}

export const JOB_PLANS = Symbol('JOB_PLANS');

/** One step of a job with the code that runs it; `position` is 1-based, in run order. */
export interface RegisteredStep {
  readonly job: string;
  readonly name: string;
  readonly position: number;
  /** Where the code is (`VolatilityJobSteps.metrics`), for errors. */
  readonly source: string;
  run: StepRun;
}

/** A job plan and the step code do not match: thrown at boot, naming every mismatch. */
export class JobStepsMismatchError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`job steps do not match the job definitions:\n  - ${problems.join('\n  - ')}`);
    this.name = 'JobStepsMismatchError';
  }
}

/**
 * The steps of every job. Their order and names come from the job plans;
 * their code from methods marked `@JobStep(job, step)` on any provider, found
 * at boot. A failing step is recorded and the next one still runs, so metrics
 * are computed for whatever was synced.
 */
@Injectable()
export class JobRegistry implements OnModuleInit {
  private readonly code = new Map<string, { source: string; run: StepRun }>();

  constructor(
    @Inject(JOB_PLANS) private readonly plans: readonly JobPlan[],
    @Optional() private readonly discovery?: DiscoveryService,
    @Optional() private readonly scanner?: MetadataScanner,
  ) {}

  /** Collects every `@JobStep` method, then fails the boot unless code and plans match exactly. */
  onModuleInit(): void {
    const problems = this.discover();
    problems.push(...this.missing());
    if (problems.length > 0) throw new JobStepsMismatchError(problems);
  }

  /**
   * Adds the code of one planned step (discovery calls this; tests may too).
   * Throws for a step no plan names or one registered twice.
   */
  register(job: string, step: string, run: StepRun, source = `${job}/${step}`): void {
    const problem = this.registrationProblem(job, step, source);
    if (problem) throw new JobStepsMismatchError([problem]);
    this.code.set(key(job, step), { source, run });
  }

  /** Planned steps that have no code yet, as messages (empty once the boot check passed). */
  missing(): string[] {
    return this.plans.flatMap((plan) =>
      plan.steps
        .filter((s) => !this.code.has(key(plan.name, s.name)))
        .map(
          (s) =>
            `step ${plan.name}/${s.name} is in the job definitions but no provider has @JobStep('${plan.name}', '${s.name}')`,
        ),
    );
  }

  /** The job's steps in run order (only those with code: all of them after boot). */
  steps(job: string): RegisteredStep[] {
    const plan = this.plans.find((p) => p.name === job);
    if (!plan) return [];
    return plan.steps.flatMap((s, index) => {
      const code = this.code.get(key(job, s.name));
      return code ? [{ job, name: s.name, position: index + 1, ...code }] : [];
    });
  }

  /** Runs every step of a job in order and merges their outcomes into one. */
  async runSteps(job: string, ctx: JobContext, options: JobRunOptions = {}): Promise<JobOutcome> {
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

  private registrationProblem(job: string, step: string, source: string): string | null {
    const plan = this.plans.find((p) => p.name === job);
    if (!plan)
      return `${source}: @JobStep('${job}', '${step}') names no job in the job definitions`;
    if (!plan.steps.some((s) => s.name === step))
      return `${source}: @JobStep('${job}', '${step}') is not a step of job ${job} in the job definitions (its steps: ${plan.steps.map((s) => s.name).join(', ')})`;
    const existing = this.code.get(key(job, step));
    if (existing) return `step ${job}/${step} has code twice: ${existing.source} and ${source}`;
    return null;
  }

  /** Registers every `@JobStep` method of the app's providers; returns the problems found. */
  private discover(): string[] {
    if (!this.discovery || !this.scanner) return [];
    const problems: string[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      // Request-scoped and not-yet-built providers have no instance to call.
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const methods = instance as Record<string, unknown>;
      for (const method of this.scanner.getAllMethodNames(
        Object.getPrototypeOf(instance) as object,
      )) {
        const meta = this.discovery.getMetadataByDecorator(JobStepMarker, wrapper, method);
        if (!meta) continue;
        const source = `${instance.constructor.name}.${method}`;
        const problem = this.registrationProblem(meta.job, meta.step, source);
        if (problem) {
          problems.push(problem);
          continue;
        }
        // Looked up at each run, not bound once, so a test can spy on the method.
        const run: StepRun = (ctx) => (methods[method] as StepRun).call(instance, ctx);
        this.code.set(key(meta.job, meta.step), { source, run });
      }
    }
    return problems;
  }
}

const key = (job: string, step: string): string => `${job}\u0000${step}`;
