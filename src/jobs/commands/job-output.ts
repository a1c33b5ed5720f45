import type { JobRunResult } from '../runner/job.types';

/** Human summary of one run for the terminal, details as indented JSON below it. */
export function formatRunResult(name: string, result: JobRunResult): string {
  const head =
    `job ${name}: ${result.status} in ${result.durationSeconds.toFixed(2)} s, ` +
    `${result.recordsProcessed} records (cron_job_log #${result.logId ?? '-'})`;
  const lines = [head];
  if (result.errorMessage) lines.push(`error: ${result.errorMessage}`);
  if (result.details) lines.push(JSON.stringify(result.details, null, 2));
  return lines.join('\n');
}

/** Left-aligned columns separated by two spaces. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
