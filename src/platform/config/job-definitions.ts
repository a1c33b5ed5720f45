/**
 * Every job the service runs, in one place: its name, its steps in the order
 * they run, its on/off switch and cron variables, and what it does. Everything
 * else derives from this list: the schedules and their validation, the job
 * names the API and the CLI accept, the descriptions `job list` and
 * `GET /api/v1/jobs` show, the order the runner runs steps in, and the boot
 * check that every step here has code behind it (and no code runs a step that
 * is not here).
 *
 * It sits with the config because the config reads each job's switch and
 * cron variables from it (and the platform imports no feature). It imports
 * nothing, on purpose: the CLI's fast `job list` path (src/cli/fast-job-list.ts)
 * reads it without booting Nest.
 *
 * ## Adding a job step
 *
 * 1. Add `{ name, does }` to the job's `steps` below, where it should run.
 *    `does` is a short phrase ("compute volatility metrics"); the job's
 *    description is its steps' phrases joined with ", then ".
 * 2. In the feature that owns the work, put a method on a provider of its
 *    module and mark it with the step's job and name:
 *
 *        @Injectable()
 *        export class VolatilityJobSteps {
 *          @JobStep('hourly', 'metrics')
 *          metrics(ctx: StepContext): Promise<JobOutcome> { ... }
 *        }
 *
 *    (`JobStep`, `StepContext` and `JobOutcome` come from src/platform/jobs;
 *    list the class in its module's `providers`, one `<feature>.job-steps.ts`
 *    per feature.)
 *    The runner finds it at boot. `ctx.options` carries `--as-of`,
 *    `--instruments` and `--dry-run`; `ctx.previous` the outcomes of the steps
 *    that already ran in this run; `ctx.signal` aborts on timeout or shutdown.
 *
 * A failing step is recorded and the next one still runs. The boot fails when
 * a step listed here has no method, or a method names a step not listed here.
 *
 * ## Adding a job
 *
 * Add an entry below, plus its switch and cron variables to the environment
 * (env.validation.ts beside this file, .env.example and the README's table).
 */

export interface StepDefinition {
  /** Unique within its job; shown in the run's `details.steps` and in errors. */
  readonly name: string;
  /** A phrase for the job's description: "compute volatility metrics". */
  readonly does: string;
}

export interface ScheduledJobDefinition {
  readonly name: string;
  /** Run in this order, one after another. */
  readonly steps: readonly StepDefinition[];
  /** Boolean env variable that turns the job's schedule on or off. */
  readonly switchVariable: string;
  /** Env variable holding its cron expression (six fields, UTC). */
  readonly cronVariable: string;
}

export const JOB_DEFINITIONS = [
  {
    name: 'hourly',
    steps: [
      { name: 'sync', does: 'sync the latest candles from the provider' },
      { name: 'metrics', does: 'compute volatility metrics' },
      { name: 'alerts', does: 'evaluate the indicator alert rules on the new metrics' },
    ],
    switchVariable: 'HOURLY_JOB_ENABLED',
    cronVariable: 'HOURLY_JOB_CRON',
  },
  {
    name: 'daily-correlation',
    steps: [
      { name: 'correlation', does: 'compute the correlation matrix for every window' },
      // Reads the correlation step's outcome (ctx.previous): keep it after `correlation`.
      { name: 'best-pairs', does: "rank today's best pairs" },
      { name: 'alerts', does: 'evaluate the correlation alert rules' },
    ],
    switchVariable: 'DAILY_JOB_ENABLED',
    cronVariable: 'DAILY_JOB_CRON',
  },
  {
    name: 'retention',
    steps: [
      { name: 'partitions', does: 'create the next monthly partitions' },
      {
        name: 'data',
        does: 'drop or delete candles, metrics, correlations and best pairs past DATA_RETENTION_DAYS',
      },
      {
        name: 'audit',
        does: 'drop live-price audit partitions older than AUDIT_RETENTION_HOURS',
      },
      { name: 'alerts', does: 'delete alert history past ALERT_HISTORY_DAYS' },
    ],
    switchVariable: 'RETENTION_JOB_ENABLED',
    cronVariable: 'RETENTION_JOB_CRON',
  },
  {
    name: 'audit-prune',
    steps: [
      {
        name: 'audit',
        does: 'drop hourly live-price audit partitions older than AUDIT_RETENTION_HOURS and create the next ones',
      },
    ],
    switchVariable: 'AUDIT_PRUNE_JOB_ENABLED',
    cronVariable: 'AUDIT_PRUNE_JOB_CRON',
  },
] as const satisfies readonly ScheduledJobDefinition[];

/**
 * Runs the runner logs in cron_job_log that are not scheduled and have no
 * steps: started by a command (`backfill`), listed by `GET /api/v1/jobs?name=`.
 */
export const LOGGED_RUNS = [
  { name: 'backfill', description: 'Fetch and store history from the provider (CLI `backfill`)' },
] as const;

export type JobName = (typeof JOB_DEFINITIONS)[number]['name'];
export type LoggedRunName = (typeof LOGGED_RUNS)[number]['name'];

/** Scheduled jobs in schedule order (catch-up runs them in this order: hourly data before correlation). */
export const JOB_NAMES: readonly JobName[] = JOB_DEFINITIONS.map((d) => d.name);

/** Every name that can appear in cron_job_log.job_name. */
export const LOGGED_JOB_NAMES: readonly (JobName | LoggedRunName)[] = [
  ...JOB_NAMES,
  ...LOGGED_RUNS.map((r) => r.name),
];

export function isJobName(name: string): name is JobName {
  return (JOB_NAMES as readonly string[]).includes(name);
}

export function jobDefinition(name: JobName): ScheduledJobDefinition {
  // JOB_NAMES comes from JOB_DEFINITIONS, so the entry exists.
  return JOB_DEFINITIONS.find((d) => d.name === name)!;
}

/** Step names of a job, in run order. */
export function stepNames(name: JobName): string[] {
  return jobDefinition(name).steps.map((s) => s.name);
}

/** The job's steps as one sentence: "Sync the latest candles ..., then compute volatility metrics". */
export function jobDescription(name: JobName): string {
  const text = jobDefinition(name)
    .steps.map((s) => s.does)
    .join(', then ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
