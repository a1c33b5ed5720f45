import type { JobStatus } from '../cron-job-log.entity';
import type { JobRunResult } from '../runner/job.types';

/** Exit codes of `job run`: scripts can tell "did nothing because another run holds the lock". */
export const EXIT_FAILED = 1;
export const EXIT_SKIPPED = 2;

/**
 * Exit code of `job run` for a run's status: 0 only when everything succeeded; 1 when anything
 * failed, a `partial` run included (some instruments were not done, so a script must not go on
 * as if they were); 2 when another run held the lock and nothing was done.
 */
export function runExitCode(status: JobStatus): 0 | typeof EXIT_FAILED | typeof EXIT_SKIPPED {
  if (status === 'skipped') return EXIT_SKIPPED;
  return status === 'success' ? 0 : EXIT_FAILED;
}

/** Human summary of one run for the terminal, details as indented JSON below it. */
export function formatRunResult(name: string, result: JobRunResult): string {
  const head = result.dryRun
    ? `job ${name} (dry run, nothing written): ${result.status} in ` +
      `${result.durationSeconds.toFixed(2)} s, ${result.recordsProcessed} records (not logged)`
    : `job ${name}: ${result.status} in ${result.durationSeconds.toFixed(2)} s, ` +
      `${result.recordsProcessed} records (cron_job_log #${result.logId ?? '-'})`;
  const lines = [head];
  if (result.dryRun) lines.push(...dryRunCounts(result.details));
  if (result.errorMessage) lines.push(`error: ${result.errorMessage}`);
  if (result.details) lines.push(JSON.stringify(result.details, null, 2));
  return lines.join('\n');
}

/**
 * One line per step of a dry run with what it would change, e.g.
 * "would change: correlation: insert 380, update 0, alert 2", from the
 * steps' `would_*` details.
 */
export function dryRunCounts(details: Record<string, unknown> | null): string[] {
  const steps = (details?.steps ?? {}) as Record<string, { details?: Record<string, unknown> }>;
  return Object.entries(steps).map(([step, outcome]) => {
    const counts = Object.entries(outcome?.details ?? {})
      .filter(([key, value]) => key.startsWith('would_') && typeof value === 'number')
      .map(([key, value]) => `${key.slice('would_'.length).replace(/_/g, ' ')} ${String(value)}`);
    return `would change: ${step}: ${counts.length ? counts.join(', ') : 'nothing'}`;
  });
}
