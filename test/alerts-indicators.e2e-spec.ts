import request from 'supertest';
import { JobRegistry, type StepContext } from '../src/platform/jobs';
import { type BidCandle, insertBidCandles } from './factories/analytics-candles.factory';
import { startTestApp, type TestApp } from './utils/test-app';

const START = Date.UTC(2026, 2, 2, 0, 0);
const HOUR = 3_600_000;

/** Hourly candles from index `first` on, one per close. */
function candles(first: number, closes: readonly number[], before: number): BidCandle[] {
  return closes.map((close, i) => {
    const open = i === 0 ? before : closes[i - 1];
    return {
      time: START + (first + i) * HOUR,
      open: open.toFixed(5),
      high: (Math.max(open, close) + 0.0002).toFixed(5),
      low: (Math.min(open, close) - 0.0002).toFixed(5),
      close: close.toFixed(5),
      spread: '0.00010',
    };
  });
}

// An accelerating fall (MACD below its signal, RSI near 0), then a steep rise.
const FALL = Array.from({ length: 40 }, (_, i) => 1.1 - 0.00004 * (i + 1) ** 2);
const RISE = Array.from({ length: 15 }, (_, i) => FALL[FALL.length - 1] + 0.002 * (i + 1));

describe('alerts: indicator rules after the hourly metrics step', () => {
  let t: TestApp;
  const runSteps = async (): Promise<void> => {
    const registry = t.app.get(JobRegistry);
    const ctx: StepContext = {
      name: 'hourly',
      signal: new AbortController().signal,
      startedAt: new Date(),
      options: { instruments: ['EUR_USD'] },
      previous: {},
    };
    for (const name of ['metrics', 'alerts']) {
      const outcome = await registry
        .steps('hourly')
        .find((s) => s.name === name)!
        .run(ctx);
      expect(outcome.status ?? 'success').toBe('success');
    }
  };
  const events = async (ruleId: string) =>
    (await request(t.url).get(`/api/v1/alerts/${ruleId}/events`).expect(200)).body.events as Array<{
      value: number;
      message: string;
    }>;

  beforeAll(async () => {
    t = await startTestApp({ INSTRUMENTS: 'EUR_USD,USD_CHF' }, 'alerts_rsi');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('should fire an RSI rule after the metrics step that crosses it, once', async () => {
    await insertBidCandles(t.dataSource, 'EUR_USD', candles(0, FALL, 1.1));
    const created = await request(t.url)
      .post('/api/v1/alerts')
      .send({
        instrument: 'EUR_USD',
        condition: { type: 'rsi_above', level: 60 },
        frequency: 'once_per_bar',
      })
      .expect(201);
    const macd = await request(t.url)
      .post('/api/v1/alerts')
      .send({
        instrument: 'EUR_USD',
        condition: { type: 'macd_cross_up' },
        frequency: 'every_time',
      })
      .expect(201);
    const ruleId = created.body.id as string;

    await runSteps();
    expect(await events(ruleId)).toEqual([]);

    // The trend turns: RSI climbs through 60 and MACD through its signal.
    await insertBidCandles(t.dataSource, 'EUR_USD', candles(40, RISE, FALL[FALL.length - 1]));
    await runSteps();
    const fired = await events(ruleId);
    expect(fired).toHaveLength(1);
    const latest = (await request(t.url).get('/api/v1/metrics/volatility/EUR_USD').expect(200))
      .body;
    const rsi = (latest.latest ?? latest).rsi_14 as number;
    expect(rsi).toBeGreaterThan(60);
    expect(fired[0].value).toBeCloseTo(rsi, 9);
    expect(fired[0].message).toContain('RSI(14)');
    expect(await events(macd.body.id as string)).toHaveLength(1);

    // The same bar again: once_per_bar stays quiet.
    await runSteps();
    expect(await events(ruleId)).toHaveLength(1);
  });
});
