import { CronTime } from 'cron';
import { JobName } from '../platform/config';
import { HOUR_MS } from '../platform/time';

/**
 * Schedule arithmetic for the scheduled jobs, from their cron expressions
 * (the same `cron` package @nestjs/schedule runs them with), always in UTC.
 */

export const SCHEDULE_TIMEZONE = 'UTC';

/** The env variable behind each job's schedule, to name it in errors. */
export const CRON_VARIABLES: Record<JobName, string> = {
  hourly: 'HOURLY_JOB_CRON',
  'daily-correlation': 'DAILY_JOB_CRON',
  retention: 'RETENTION_JOB_CRON',
  'audit-prune': 'AUDIT_PRUNE_JOB_CRON',
};

export const JOB_DESCRIPTIONS: Record<JobName, string> = {
  hourly: 'Sync the latest candles from the provider, then compute volatility metrics',
  'daily-correlation': "Correlation matrix for every window, then today's best pairs",
  retention:
    'Delete candles, metrics, correlations and best pairs past DATA_RETENTION_DAYS, and old audit rows',
  'audit-prune':
    'Drop hourly live-price audit partitions older than AUDIT_RETENTION_HOURS and create the next ones',
};

/** Consecutive gaps looked at to find the longest one (irregular expressions like "0 0 9,17 * * *"). */
const GAPS_SAMPLED = 8;

/** Throws naming the variable when an expression cannot be scheduled. */
export function assertValidCron(job: JobName, expression: string): void {
  const { valid, error } = CronTime.validateCronExpression(expression);
  if (!valid) {
    throw new Error(
      `${CRON_VARIABLES[job]}="${expression}" is not a valid cron expression: ${error?.message ?? 'invalid'}`,
    );
  }
}

/** The next `count` run times strictly after `from`. */
export function nextRuns(expression: string, from: Date, count = 1): Date[] {
  const time = new CronTime(expression, SCHEDULE_TIMEZONE);
  const runs: Date[] = [];
  let cursor = from;
  for (let i = 0; i < count; i += 1) {
    cursor = time.getNextDateFrom(cursor).toJSDate();
    runs.push(cursor);
  }
  return runs;
}

/** Longest time between two consecutive runs: an hourly job's period is 1 h, a weekly one's 7 d. */
export function periodMs(expression: string, from: Date): number {
  const runs = nextRuns(expression, from, GAPS_SAMPLED + 1);
  let longest = 0;
  for (let i = 1; i < runs.length; i += 1) {
    longest = Math.max(longest, runs[i].getTime() - runs[i - 1].getTime());
  }
  return longest;
}

/**
 * Slack before a missed run counts as missed: a sixth of the period, at most
 * an hour (hourly: 10 min; daily and weekly: 1 h). Covers a slow previous run
 * and a restart a few minutes after the tick.
 */
export function graceMs(period: number): number {
  return Math.min(period / 6, HOUR_MS);
}

/**
 * Whether a job should run once at boot: it never succeeded, or its last
 * successful (or partial) run started longer ago than its period plus grace.
 */
export function isCatchUpDue(lastOkStart: Date | null, now: Date, period: number): boolean {
  if (!lastOkStart) return true;
  return now.getTime() - lastOkStart.getTime() > period + graceMs(period);
}
