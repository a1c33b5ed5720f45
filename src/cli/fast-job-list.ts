import { Client } from 'pg';
import { AppConfig, JOB_NAMES } from '../platform/config';
import { databaseRuntime } from '../platform/database';
import { checkConfiguredServers } from '../platform/database';
import { formatTable } from '../platform/cli';
import { nextRuns, SCHEDULE_TIMEZONE } from '../jobs';

/** PostgreSQL: the table or the database does not exist yet (never migrated). */
const NOT_SET_UP = new Set(['42P01', '3D000']);

/**
 * `job list` without booting Nest: one query on cron_job_log and the cron
 * arithmetic, in a fraction of the second the full application context takes
 * to load. Prints the same table as JobListCommand. Returns false when the
 * database is not set up yet, so the caller falls back to the full path
 * (which creates and migrates it).
 */
export async function fastJobList(config: AppConfig): Promise<boolean> {
  await checkConfiguredServers({ databaseUrl: config.database.url });
  const { url } = await databaseRuntime(config);
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  let last: Map<string, { start_time: Date; status: string }>;
  try {
    await client.connect();
    const result = await client.query<{ job_name: string; start_time: Date; status: string }>(
      `SELECT DISTINCT ON (job_name) job_name, start_time, status
         FROM cron_job_log ORDER BY job_name, start_time DESC, id DESC`,
    );
    last = new Map(result.rows.map((r) => [r.job_name, r]));
  } catch (error) {
    if (NOT_SET_UP.has((error as { code?: string }).code ?? '')) return false;
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
  const now = new Date();
  const rows = JOB_NAMES.map((name) => {
    const cron = config.jobs.cron[name];
    const run = last.get(name);
    return [
      name,
      `${cron} (${SCHEDULE_TIMEZONE})`,
      config.jobs.enabled[name] ? 'yes' : 'no',
      nextRuns(cron, now)[0].toISOString(),
      run ? run.start_time.toISOString() : '-',
      run ? run.status : '-',
    ];
  });
  process.stdout.write(
    `${formatTable(['NAME', 'SCHEDULE', 'ENABLED', 'NEXT RUN', 'LAST RUN', 'LAST STATUS'], rows)}\n`,
  );
  return true;
}
