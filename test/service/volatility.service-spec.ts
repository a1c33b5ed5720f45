import type { TestingModule } from '@nestjs/testing';
import { AppCacheService } from '../../src/cache/app-cache.service';
import { CacheKeys } from '../../src/cache/cache-keys';
import { CandleSeriesService, type MidSeries } from '../../src/candles/candle-series.store';
import {
  computeMetrics,
  METRIC_COLUMNS,
  type MetricColumns,
} from '../../src/volatility/indicators';
import {
  type UpsertResult,
  VolatilityMetricsStore,
} from '../../src/volatility/volatility-metrics.store';
import { VolatilityService } from '../../src/volatility/volatility.service';
import { compileService, edgeProviders, RecordingPubSub, testConfig } from './service-kit';

const HOUR = 3_600_000;
const START = Date.UTC(2025, 0, 6, 0);
const HV_PERIODS_PER_YEAR = 6240; // the default HV_PERIODS_PER_YEAR for H1

/** Hourly mid candles from log returns, starting at 1.1; a small range around open and close. */
function series(instrument: string, returns: readonly number[], start = START): MidSeries {
  const n = returns.length + 1;
  const s: MidSeries = {
    instrument,
    granularity: 'H1',
    times: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
  };
  let price = 1.1;
  for (let k = 0; k < n; k += 1) {
    const open = price;
    const close = k === 0 ? price : price * Math.exp(returns[k - 1]);
    s.times[k] = start + k * HOUR;
    s.open[k] = open;
    s.close[k] = close;
    s.high[k] = Math.max(open, close) + 0.0001;
    s.low[k] = Math.min(open, close) - 0.0001;
    price = close;
  }
  return s;
}

const slice = (s: MidSeries, keep: (k: number) => boolean): MidSeries => {
  const idx = Array.from(s.times.keys()).filter(keep);
  const pick = (a: Float64Array) => Float64Array.from(idx, (k) => a[k]);
  return {
    ...s,
    times: pick(s.times),
    open: pick(s.open),
    high: pick(s.high),
    low: pick(s.low),
    close: pick(s.close),
  };
};

/** The candles edge: whatever series the test put there (the stored complete H1 candles). */
class FakeCandleSeries {
  readonly stored = new Map<string, MidSeries>();
  failing = new Set<string>();

  async midSeries({ instrument, from }: { instrument: string; from?: Date }): Promise<MidSeries> {
    if (this.failing.has(instrument)) throw new Error(`no route to the candles of ${instrument}`);
    const all = this.stored.get(instrument) ?? slice(series(instrument, []), () => false);
    return from ? slice(all, (k) => all.times[k] >= from.getTime()) : all;
  }

  async countUpTo(instrument: string, _granularity: string, to: Date): Promise<number> {
    const all = this.stored.get(instrument);
    return all ? all.times.filter((t) => t <= to.getTime()).length : 0;
  }
}

/** volatility_metrics as the store sees it: upsert writes rows that are new or changed (NaN is NULL). */
class FakeMetricsStore {
  readonly rows = new Map<string, Map<number, Array<number | null>>>();

  async upsert(
    instrument: string,
    times: ArrayLike<number>,
    columns: MetricColumns,
    from: number,
  ): Promise<UpsertResult> {
    const table = this.rows.get(instrument) ?? new Map<number, Array<number | null>>();
    this.rows.set(instrument, table);
    let written = 0;
    let newestInsertedMs: number | null = null;
    for (let i = from; i < times.length; i += 1) {
      const values = METRIC_COLUMNS.map((c) =>
        Number.isFinite(columns[c][i]) ? columns[c][i] : null,
      );
      const old = table.get(times[i]);
      if (old && old.every((v, j) => v === values[j])) continue;
      if (!old) newestInsertedMs = Math.max(newestInsertedMs ?? 0, times[i]);
      table.set(times[i], values);
      written += 1;
    }
    return { written, newestInsertedMs };
  }

  async coverage(instrument: string): Promise<{ count: number; newestMs: number | null }> {
    const times = [...(this.rows.get(instrument)?.keys() ?? [])];
    return { count: times.length, newestMs: times.length ? Math.max(...times) : null };
  }

  async times(instrument: string): Promise<Float64Array> {
    return Float64Array.from([...(this.rows.get(instrument)?.keys() ?? [])].sort((a, b) => a - b));
  }
}

/** 100 quiet returns then 20 ten times larger: volatility_20 / volatility_50 ends near 1.6, a warning. */
const eurUsdReturns = Array.from(
  { length: 120 },
  (_, k) => (k % 2 ? -1 : 1) * (k >= 100 ? 0.002 : 0.0002),
);
/** Steady alternating returns: a flat ratio, no warning unless an absolute threshold says so. */
const steadyReturns = (n: number) =>
  Array.from({ length: n }, (_, k) => (k % 3 === 0 ? 0.001 : -0.0005));

describe('VolatilityService (service tier)', () => {
  let module: TestingModule;
  let service: VolatilityService;
  let candles: FakeCandleSeries;
  let store: FakeMetricsStore;
  let pubsub: RecordingPubSub;
  const signal = new AbortController().signal;

  beforeEach(async () => {
    candles = new FakeCandleSeries();
    store = new FakeMetricsStore();
    pubsub = new RecordingPubSub();
    candles.stored.set('EUR_USD', series('EUR_USD', eurUsdReturns));
    candles.stored.set('GBP_USD', series('GBP_USD', steadyReturns(150)));
    // 30 candles: too short for volatility_50 and the MACD signal.
    candles.stored.set('USD_JPY', series('USD_JPY', steadyReturns(29)));
    module = await compileService({
      providers: [
        ...edgeProviders(
          testConfig({
            INSTRUMENTS: 'EUR_USD,GBP_USD,USD_JPY,GBP_CAD',
            VOLATILITY_ALERT_ABSOLUTE: 'GBP_USD:0.0001',
          }),
          { pubsub },
        ),
        { provide: CandleSeriesService, useValue: candles },
        { provide: VolatilityMetricsStore, useValue: store },
        VolatilityService,
      ],
    });
    service = module.get(VolatilityService);
  });

  afterEach(async () => {
    await module.close();
  });

  const instruments = ['EUR_USD', 'GBP_USD', 'USD_JPY'];

  it('should write a row for every candle, equal to the pure functions, NULL where history is short', async () => {
    const outcome = await service.run(instruments, 'new', signal);
    expect(outcome).toMatchObject({ status: 'success', recordsProcessed: 121 + 151 + 30 });
    expect(outcome.details).toMatchObject({
      mode: 'new',
      rows_written: 302,
      instruments: { EUR_USD: 121, GBP_USD: 151, USD_JPY: 30 },
      without_candles: [],
    });
    const expected = computeMetrics(candles.stored.get('EUR_USD')!, HV_PERIODS_PER_YEAR);
    const eur = store.rows.get('EUR_USD')!;
    const v20 = METRIC_COLUMNS.indexOf('volatility_20');
    expect(eur.get(START + 120 * HOUR)![v20]).toBeCloseTo(expected.volatility_20[120], 12);
    const jpy = [...store.rows.get('USD_JPY')!.values()];
    expect(jpy.every((row) => row[METRIC_COLUMNS.indexOf('volatility_50')] === null)).toBe(true);
    expect(jpy.every((row) => row[METRIC_COLUMNS.indexOf('macd_signal')] === null)).toBe(true);
  });

  it('should announce data_ready with the count and raise no volatility_alert itself (the alerts feature built-in rules do)', async () => {
    await service.run(instruments, 'new', signal);
    expect(pubsub.on('volatility_alerts')).toEqual([]);
    expect(pubsub.on('data_ready')).toEqual([
      expect.objectContaining({ data_type: 'volatility', count: 302 }),
    ]);
  });

  it('should cache the newest metrics as metrics:<I>', async () => {
    await service.run(instruments, 'new', signal);
    const cached = await module
      .get(AppCacheService)
      .get<Record<string, unknown>>(module.get(CacheKeys).metrics('EUR_USD').key);
    expect(cached?.time).toBe(new Date(START + 120 * HOUR).toISOString());
    expect(cached?.volatility_20).toEqual(expect.any(Number));
  });

  it('should be idempotent: a rerun writes nothing and announces nothing', async () => {
    await service.run(instruments, 'new', signal);
    const published = pubsub.sent.length;
    const again = await service.run(instruments, 'new', signal);
    expect(again.recordsProcessed).toBe(0);
    expect(pubsub.sent).toHaveLength(published);
  });

  it('should compute only a new candle, warmed up over the whole history', async () => {
    const full = series('EUR_USD', [...eurUsdReturns, 0.002]);
    candles.stored.set(
      'EUR_USD',
      slice(full, (k) => k < 121),
    );
    await service.run(['EUR_USD'], 'new', signal);
    candles.stored.set('EUR_USD', full);
    const outcome = await service.run(['EUR_USD'], 'new', signal);
    expect(outcome.details?.instruments).toEqual({ EUR_USD: 1 });
    const expected = computeMetrics(full, HV_PERIODS_PER_YEAR);
    const newest = store.rows.get('EUR_USD')!.get(START + 121 * HOUR)!;
    expect(newest[METRIC_COLUMNS.indexOf('ema_26')]).toBeCloseTo(expected.ema_26[121], 12);
  });

  it('should fill a candle that arrived in a gap and rewrite only the bars after it', async () => {
    const GAP = 140;
    const full = candles.stored.get('GBP_USD')!;
    candles.stored.set(
      'GBP_USD',
      slice(full, (k) => k !== GAP),
    );
    await service.run(['GBP_USD'], 'new', signal);
    candles.stored.set('GBP_USD', full);
    const outcome = await service.run(['GBP_USD'], 'new', signal);
    const written = (outcome.details?.instruments as Record<string, number>).GBP_USD;
    expect(written).toBeGreaterThan(1);
    expect(written).toBeLessThanOrEqual(151 - GAP);
    expect(store.rows.get('GBP_USD')!.size).toBe(151);
    const expected = computeMetrics(full, HV_PERIODS_PER_YEAR);
    const atr = METRIC_COLUMNS.indexOf('atr');
    for (let i = GAP; i < 151; i += 1)
      expect(store.rows.get('GBP_USD')!.get(START + i * HOUR)![atr]).toBeCloseTo(
        expected.atr[i],
        12,
      );
  });

  it('should rewrite rows that differ in mode all, and only those', async () => {
    await service.run(['GBP_USD'], 'new', signal);
    const rsi = METRIC_COLUMNS.indexOf('rsi_14');
    store.rows.get('GBP_USD')!.get(START + 100 * HOUR)![rsi] = 1;
    store.rows.get('GBP_USD')!.delete(START);
    const outcome = await service.run(['GBP_USD'], 'all', signal);
    expect(outcome.recordsProcessed).toBe(2);
    expect(store.rows.get('GBP_USD')!.size).toBe(151);
    expect(store.rows.get('GBP_USD')!.get(START + 100 * HOUR)![rsi]).not.toBe(1);
  });

  it('should store, cache and publish nothing in a dry run, and say what it would do', async () => {
    const outcome = await service.run(instruments, 'new', signal, true);
    expect(outcome.details).toMatchObject({
      dry_run: true,
      would_write: 302,
      rows_written: 0,
    });
    expect(store.rows.size).toBe(0);
    expect(pubsub.sent).toHaveLength(0);
    expect(
      await module.get(AppCacheService).get(module.get(CacheKeys).metrics('EUR_USD').key),
    ).toBeUndefined();
  });

  it('should go on past a failing instrument (partial), report those without candles, and fail when all fail', async () => {
    candles.failing.add('GBP_USD');
    const partial = await service.run(['EUR_USD', 'GBP_USD', 'GBP_CAD'], 'new', signal);
    expect(partial.status).toBe('partial');
    expect(partial.errorMessage).toMatch(/^GBP_USD: .*no route to the candles of GBP_USD/);
    expect(partial.details).toMatchObject({
      instruments: { EUR_USD: 121, GBP_CAD: 0 },
      without_candles: ['GBP_CAD'],
      failed: { GBP_USD: expect.any(String) },
    });
    candles.failing.add('EUR_USD');
    const failed = await service.run(['EUR_USD', 'GBP_USD'], 'new', signal);
    expect(failed.status).toBe('failed');
  });

  it('should not start instruments once the run is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = await service.run(['EUR_USD'], 'new', controller.signal);
    expect(outcome.status).toBe('failed');
    expect(outcome.details?.failed).toEqual({ EUR_USD: 'not run (aborted)' });
    expect(store.rows.size).toBe(0);
  });
});
