import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory';
import { BackfillService } from '../src/ingestion/backfill.service';
import { CorrelationStore } from '../src/correlation/correlation.store';
import type { RawEnv } from '../src/platform/config/env.validation';
import { dropDatabase } from '../src/platform/database/ensure-database';
import { JobsService } from '../src/jobs/jobs.service';
import { type ChannelRecorder, recordChannels } from './factories/analytics-events';
import { testEnv } from './utils/test-env';

const DAY = 86_400_000;

/** The app as main.ts builds it, initialised (job steps registered) but not listening. */
const start = async (env: RawEnv): Promise<INestApplication> => {
  const app = await createApp(env);
  await app.init();
  return app;
};
const INSTRUMENTS = ['EUR_USD', 'GBP_USD', 'USD_JPY'];

// Issue 9 item 10: correlation alerts flapped (0.702 -> 0.695 alerted "moved from 0.70 to
// 0.70"). Crossings now need hysteresis, a pair alerts at most once per cooldown (also across
// its windows), and the cooldown is kept (now in the built-in rule's row, alert_rules.state_clock)
// so a restart does not reset it.
describe('correlation alerts: hysteresis reference, one per pair, cooldown across a restart', () => {
  const env = testEnv(
    { INSTRUMENTS: INSTRUMENTS.join(','), CORRELATION_WINDOWS: '20,50' },
    'corr_alerts',
  );
  let app: INestApplication;
  let events: ChannelRecorder;
  const today = new Date().toISOString().slice(0, 10);
  const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);

  const db = (): DataSource => app.get(DataSource);
  /**
   * Makes every pair's previous calculation 0.3 away from today's (towards zero, so it stays
   * within [-1, 1] whatever the day's data), then forgets today's rows.
   */
  const staged = async (): Promise<void> => {
    await db().query(
      `UPDATE correlation_matrix y
       SET correlation = t.correlation - 0.3 * sign(t.correlation + 1e-9)
       FROM correlation_matrix t
       WHERE y.time = $1::date AND t.time = $2::date AND t.pair1 = y.pair1 AND t.pair2 = y.pair2
         AND t.window_size = y.window_size AND t.correlation IS NOT NULL`,
      [yesterday, today],
    );
    await db().query(`DELETE FROM correlation_matrix WHERE time = $1::date`, [today]);
  };
  const runToday = async (): Promise<Array<Record<string, unknown>>> => {
    const before = events.messages('correlation_alerts').length;
    const result = await app.get(JobsService).execute('daily-correlation');
    expect(result.status).toBe('success');
    await events.settled();
    return events.messages('correlation_alerts').slice(before);
  };

  beforeAll(async () => {
    app = await start(env);
    events = await recordChannels(env.REDIS_KEY_PREFIX!, ['correlation_alerts']);
    const fill = await app
      .get(BackfillService)
      .run({ instruments: INSTRUMENTS, granularity: 'H1', days: 12, now: new Date() });
    expect(fill.job.status).toBe('success');
    const jobs = app.get(JobsService);
    expect((await jobs.execute('daily-correlation', { asOf: new Date(yesterday) })).status).toBe(
      'success',
    );
    expect((await jobs.execute('daily-correlation')).status).toBe('success');
    // Those real runs may have alerted (and started cooldowns): start the tests from none.
    await db().query(
      `UPDATE alert_rules SET state_clock = NULL WHERE builtin LIKE 'correlation:%'`,
    );
  }, 300_000);

  afterAll(async () => {
    await events?.close();
    await app?.close();
    if (env.DATABASE_URL) await dropDatabase(env.DATABASE_URL);
  });

  it('should find the last stored value outside each hysteresis band', async () => {
    await db().query(
      `INSERT INTO correlation_matrix (pair1, pair2, time, correlation, window_size, sample_size, calculated_at)
       VALUES ('AAA_BBB', 'CCC_DDD', '2020-01-01', 0.65, 20, 20, now()),
              ('AAA_BBB', 'CCC_DDD', '2020-01-02', 0.71, 20, 20, now()),
              ('AAA_BBB', 'CCC_DDD', '2020-01-03', 0.715, 20, 20, now())`,
    );
    const pair = { pair1: 'AAA_BBB', pair2: 'CCC_DDD', window: 20 };
    const store = app.get(CorrelationStore);
    const refs = await store.lastOutsideBands('2020-01-04', [pair], 0.7, 0.02);
    // 0.71 and 0.715 are inside 0.68..0.72: the +0.7 crossing is judged against 0.65.
    expect(refs.get('AAA_BBB|CCC_DDD|20')).toEqual({ upper: 0.65, lower: 0.715 });
    expect(
      (await store.lastOutsideBands('2020-01-02', [pair], 0.7, 0.02)).get('AAA_BBB|CCC_DDD|20'),
    ).toEqual({ upper: 0.65, lower: 0.65 });
    await db().query(`DELETE FROM correlation_matrix WHERE pair1 = 'AAA_BBB'`);
  });

  it('should alert once per pair (not once per window), with from and to that differ', async () => {
    await staged();
    const alerts = await runToday();
    const pairs = alerts.map((a) => `${String(a.pair1)}/${String(a.pair2)}`);
    // Three instruments: three pairs, each moved by 0.3 in both windows.
    expect(pairs.sort()).toEqual(['EUR_USD/GBP_USD', 'EUR_USD/USD_JPY', 'GBP_USD/USD_JPY']);
    for (const alert of alerts) {
      const [, from, to] = /moved from (\S+) to (\S+?)[,\s]/.exec(String(alert.message)) ?? [];
      expect(from).not.toBe(to);
    }
    const [rule] = await db().query(
      `SELECT state_clock FROM alert_rules WHERE builtin = 'correlation:EUR_USD|GBP_USD'`,
    );
    expect(new Date(rule.state_clock).getTime()).toBe(Date.parse(`${today}T00:00:00Z`));
  }, 120_000);

  it('should not alert a pair again within the cooldown, also after a restart', async () => {
    await staged();
    expect(await runToday()).toEqual([]);

    await app.close();
    app = await start(env);
    await staged();
    expect(await runToday()).toEqual([]);
  }, 180_000);

  it('should alert again with no cooldown configured', async () => {
    await app.close();
    app = await start({ ...env, CORRELATION_ALERT_COOLDOWN_HOURS: '0' });
    await staged();
    expect(await runToday()).toHaveLength(3);
  }, 180_000);
});
