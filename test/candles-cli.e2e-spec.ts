import { Client } from 'pg';
import { dropDatabase } from '../src/platform/database/ensure-database';
import { runCli } from './utils/ops-helpers';
import { testEnv } from './utils/test-env';

// The command class cannot be imported here (nest-commander does not load under Jest ESM): it runs in a child process.
describe('BackfillCommand', () => {
  const env = testEnv({ LOG_LEVEL: 'warn' }, 'candles_cli');
  const db = new Client({ connectionString: env.DATABASE_URL });
  let connected = false;

  // The CLI creates the database on its first run; connect on first use.
  const query = async (sql: string) => {
    if (!connected) {
      await db.connect();
      connected = true;
    }
    return db.query(sql);
  };
  const jobRows = async () =>
    (
      await query(
        `SELECT status, records_processed, details FROM cron_job_log WHERE job_name = 'backfill' ORDER BY id`,
      )
    ).rows;

  afterAll(async () => {
    if (connected) await db.end();
    if (env.DATABASE_URL) await dropDatabase(env.DATABASE_URL);
  });

  it('should backfill through the real CLI, print a summary and exit 0', async () => {
    const run = await runCli(['backfill', '--days', '3', '--instruments', 'EUR_USD,GBP_USD'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^instrument\s+candles stored\s+first\s+last\s+gaps found\s+seconds\s+status$/m,
    );
    expect(run.stdout).toMatch(/^EUR_USD\s+\d+\s+\S+\s+\S+\s+0\s+[\d.]+\s+ok$/m);
    expect(run.stdout).toMatch(/cron_job_log #\d+: success/);

    const counts = await query(
      `SELECT instrument, count(*)::int AS n FROM oanda_candles GROUP BY instrument ORDER BY instrument`,
    );
    expect(counts.rows.map((r) => r.instrument)).toEqual(['EUR_USD', 'GBP_USD']);
    const [row] = await jobRows();
    expect(row.status).toBe('success');
    expect(row.details.instruments.EUR_USD.inserted).toBe(counts.rows[0].n);
  }, 180_000);

  it('should make almost no provider requests when run again', async () => {
    const run = await runCli(['backfill', '--days', '3', '--instruments', 'EUR_USD,GBP_USD'], env);
    expect(run.code).toBe(0);
    const rows = await jobRows();
    const details = rows[rows.length - 1].details.instruments;
    for (const name of ['EUR_USD', 'GBP_USD']) {
      // At most the still-forming candle (none at all while the market is closed).
      expect(details[name].fetches).toBeLessThanOrEqual(1);
      expect(details[name].inserted).toBeLessThanOrEqual(1);
    }
  }, 180_000);

  it('should list gaps with candles:gaps after rows are deleted', async () => {
    const { rows } = await query(
      `DELETE FROM oanda_candles WHERE instrument = 'EUR_USD' AND time IN (
         SELECT time FROM oanda_candles WHERE instrument = 'EUR_USD' AND complete ORDER BY time DESC OFFSET 5 LIMIT 2)
       RETURNING time`,
    );
    expect(rows).toHaveLength(2);
    const run = await runCli(
      ['candles:gaps', '--days', '3', '--instruments', 'EUR_USD,GBP_USD'],
      env,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^EUR_USD \S+Z \.\. \S+Z \(2 candles\)$/m);
    expect(run.stdout).toMatch(/^EUR_USD: 1 gap\(s\), 2 missing candle\(s\)$/m);
    expect(run.stdout).toMatch(/^GBP_USD: no gaps$/m);
  }, 180_000);

  it('should reject bad options with a message naming the option and exit 2', async () => {
    const run = await runCli(['backfill', '--granularity', 'H7'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--granularity: unknown granularity "H7"/);
  }, 180_000);
});
