import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_INSTRUMENTS } from '../src/platform/config/instruments';
import { CorrelationService } from '../src/correlation/correlation.service';
import { JobRegistry } from '../src/jobs/runner/job-registry.service';
import { JobRunner } from '../src/jobs/runner/job-runner.service';
import {
  fxRealInstruments,
  insertBidCandles,
  readFxReal,
} from './factories/analytics-candles.factory';
import { startTestApp, type TestApp } from './utils/test-app';

interface Reference {
  as_of: string;
  correlations: Array<{ pair1: string; pair2: string; window: number; correlation: number }>;
}

/**
 * The daily correlation job on real 2020 H1 candles (../shared/data/fx-real):
 * as of 2020-12-24, EUR_USD and USD_CHF move strongly against each other and
 * EUR_USD and GBP_USD clearly together.
 */
describe(`${CorrelationService.name} on real FX data`, () => {
  let t: TestApp;
  // Fails here, with the path it looked at, when the data is missing.
  const instruments = fxRealInstruments();
  const reference = JSON.parse(
    readFileSync(join(process.cwd(), 'test/fixtures/fx-real-correlation-reference.json'), 'utf8'),
  ) as Reference;

  const runAsOf = (day: string) =>
    t.app
      .get(JobRunner)
      .run('daily-correlation', (ctx) =>
        t.app
          .get(JobRegistry)
          .runSteps('daily-correlation', ctx, { asOf: new Date(`${day}T00:00:00Z`) }),
      );
  const stored = async (
    pair1: string,
    pair2: string,
    window: number,
    day: string,
  ): Promise<number> =>
    (
      await t.dataSource.query(
        `SELECT correlation FROM correlation_matrix WHERE pair1 = $1 AND pair2 = $2 AND window_size = $3 AND time = $4`,
        [pair1, pair2, window, day],
      )
    )[0]?.correlation;

  beforeAll(async () => {
    t = await startTestApp({}, 'analytics-real');
    // Data runs past the as-of day on purpose: the job must ignore what came later.
    for (const instrument of instruments) {
      await insertBidCandles(
        t.dataSource,
        instrument,
        readFxReal(instrument, '2021-06-30T23:00:00Z'),
      );
    }
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('should have the real data for 17 of the 20 default instruments', () => {
    expect(instruments).toHaveLength(17);
    expect(instruments.every((i) => DEFAULT_INSTRUMENTS.includes(i))).toBe(true);
  });

  it('should find EUR_USD/USD_CHF strongly negative and EUR_USD/GBP_USD clearly positive as of 2020-12-24', async () => {
    const result = await runAsOf(reference.as_of);
    expect(result.status).toBe('success');
    for (const window of [100, 200]) {
      expect(await stored('EUR_USD', 'USD_CHF', window, reference.as_of)).toBeLessThan(-0.7);
      const eurGbp = await stored('EUR_USD', 'GBP_USD', window, reference.as_of);
      expect(eurGbp).toBeGreaterThan(0.3);
      expect(eurGbp).toBeLessThan(0.7);
    }
  }, 60_000);

  it('should agree with the independent Python computation (scripts/fx-real-correlation-reference.py)', async () => {
    for (const ref of reference.correlations) {
      expect([
        ref.pair1,
        ref.pair2,
        ref.window,
        await stored(ref.pair1, ref.pair2, ref.window, reference.as_of),
      ]).toEqual([ref.pair1, ref.pair2, ref.window, expect.closeTo(ref.correlation, 9)]);
    }
  });

  it('should correlate the 136 pairs of the 17 instruments with data and report the 3 without', async () => {
    for (const window of [100, 200]) {
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM correlation_matrix WHERE time = $1 AND window_size = $2 AND correlation IS NOT NULL`,
        [reference.as_of, window],
      );
      expect(n).toBe(136);
    }
    const [log] = await t.dataSource.query(
      `SELECT details FROM cron_job_log WHERE job_name = 'daily-correlation' AND status = 'success' ORDER BY id LIMIT 1`,
    );
    const leftOut = log.details.steps.correlation.details.left_out['100'] as Array<{
      instrument: string;
      candles: number;
    }>;
    expect(leftOut.map((l) => [l.instrument, l.candles])).toEqual([
      ['USD_CNH', 0],
      ['USD_MXN', 0],
      ['EUR_TRY', 0],
    ]);
  });

  it('should recommend EUR_USD/USD_CHF as a hedge, naming the shared USD', async () => {
    const [row] = await t.dataSource.query(
      `SELECT category, rank, reason FROM best_pairs_tracker
       WHERE time = $1 AND window_size = 100 AND pair1 = 'EUR_USD' AND pair2 = 'USD_CHF'`,
      [reference.as_of],
    );
    expect(row.category).toBe('negatively_correlated');
    expect(row.reason).toMatch(
      /^EUR_USD and USD_CHF share USD and move in opposite directions \(r = -0\.86 over 100 hours\): a natural hedge$/,
    );
    const [{ better }] = await t.dataSource.query(
      `SELECT count(*)::int AS better FROM best_pairs_tracker
       WHERE time = $1 AND window_size = 100 AND category = 'negatively_correlated' AND correlation < $2`,
      [reference.as_of, await stored('EUR_USD', 'USD_CHF', 100, reference.as_of)],
    );
    expect(row.rank).toBe(better + 1);
  });

  it('should leave out instruments whose data stopped more than a week before the as-of day', async () => {
    const result = await runAsOf('2021-06-30');
    const details = result.details as {
      steps: {
        correlation: {
          details: { left_out: Record<string, Array<{ instrument: string; reason: string }>> };
        };
      };
    };
    const stale = details.steps.correlation.details.left_out['100'].filter((l) =>
      l.reason.startsWith('stale'),
    );
    expect(stale.map((l) => l.instrument).sort()).toEqual(['EUR_JPY', 'GBP_AUD', 'USD_ZAR']);
  }, 60_000);
});
