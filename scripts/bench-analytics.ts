/**
 * `npm run bench:analytics`: how fast the analytics are, printed as JSON.
 *
 * 1. indicators: every metric of DESIGN.md section 5 (computeMetrics) over one
 *    year of H1 bars (6240) for 20 instruments, pure functions on generated
 *    arrays. Target < 100 ms.
 * 2. daily correlation end to end (JobRunner + both steps: load, 2 windows,
 *    upsert, alerts lookup, best pairs, cache, publish) on one year of H1
 *    candles in a throwaway database: 20 instruments (target < 1 s), then 200
 *    instruments (reported; should grow about with the number of pairs).
 *    Candles are inserted directly with multi-row unnest INSERTs; each
 *    database is dropped afterwards.
 *
 * Usage: npm run bench:analytics [-- --skip-200 | --only-200] [--phases]
 *   --phases  also time the daily job's phases (load + compute, each store
 *             query, cache refresh, best pairs, alerts) by wrapping those
 *             methods: inclusive milliseconds and calls per phase, per run.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { createClient } from 'redis';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { AppConfig, LOCAL_SERVERS } from '../src/platform/config/app-config';
import { DEFAULT_INSTRUMENTS, instrumentSpec } from '../src/platform/config/instruments';
import { dropDatabase } from '../src/platform/database/ensure-database';
import { JobRegistry } from '../src/platform/jobs/job-registry.service';
import { JobRunner } from '../src/platform/jobs/job-runner.service';
import { BuiltinAlertEvaluator } from '../src/alerts/builtin-alert.evaluator';
import { JobAlertEvaluator } from '../src/alerts/job-alert.evaluator';
import { BestPairsService } from '../src/best-pairs/best-pairs.service';
import { BestPairsStore } from '../src/best-pairs/best-pairs.store';
import { CorrelationQueryService } from '../src/correlation/correlation-query.service';
import { CorrelationService } from '../src/correlation/correlation.service';
import { CorrelationStore } from '../src/correlation/correlation.store';
import { SeriesLoader } from '../src/correlation/series-loader';
import { computeMetrics } from '../src/volatility/indicators';
import { VolatilityService } from '../src/volatility/volatility.service';

const HOUR = 3_600_000;
const BARS = 6240; // 24 h x 5 days x 52 weeks

/** Deterministic PRNG (mulberry32) + Box-Muller, so every run benchmarks the same market. */
function gaussianSource(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () =>
    Math.sqrt(-2 * Math.log(Math.max(uniform(), 1e-12))) * Math.cos(2 * Math.PI * uniform());
}

/** `count` trading hours (Monday..Friday UTC) ending with the last complete hour. */
function tradingHours(count: number): Float64Array {
  const times = new Float64Array(count);
  let t = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
  for (let k = count - 1; k >= 0;) {
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) times[k--] = t;
    t -= HOUR;
  }
  return times;
}

interface Bars {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
}

/** A currency-factor market: BASE_QUOTE returns = F_base - F_quote + noise, OHLC around it. */
function market(instruments: readonly string[], bars: number, seed: number): Map<string, Bars> {
  const g = gaussianSource(seed);
  const currencies = [...new Set(instruments.flatMap((i) => i.split('_')))];
  const factors = new Map(
    currencies.map((c) => [c, Float64Array.from({ length: bars }, () => g() * 0.0008)]),
  );
  const out = new Map<string, Bars>();
  for (const instrument of instruments) {
    const [base, quote] = instrument.split('_');
    const fb = factors.get(base)!;
    const fq = factors.get(quote)!;
    const spec = instrumentSpec(instrument);
    const scale = 10 ** spec.displayPrecision;
    const round = (v: number): number => Math.round(v * scale) / scale;
    const b: Bars = {
      open: new Float64Array(bars),
      high: new Float64Array(bars),
      low: new Float64Array(bars),
      close: new Float64Array(bars),
    };
    let price = spec.basePrice;
    for (let k = 0; k < bars; k += 1) {
      const next = price * Math.exp(fb[k] - fq[k] + g() * 0.0002);
      const wiggle = Math.abs(next - price) * 0.5 + price * 0.0001 * Math.abs(g());
      b.open[k] = round(price);
      b.close[k] = round(next);
      b.high[k] = round(Math.max(price, next) + wiggle);
      b.low[k] = round(Math.min(price, next) - wiggle);
      price = next;
    }
    out.set(instrument, b);
  }
  return out;
}

function benchIndicators(): Record<string, unknown> {
  const data = [...market(DEFAULT_INSTRUMENTS, BARS, 1).values()];
  const runOnce = (): number => {
    const started = performance.now();
    for (const bars of data) computeMetrics(bars, 6240);
    return performance.now() - started;
  };
  runOnce(); // JIT warm-up
  const runs = Array.from({ length: 7 }, runOnce).sort((a, b) => a - b);
  return {
    instruments: data.length,
    bars_per_instrument: BARS,
    metrics_per_bar: 19,
    median_ms: round(runs[3]),
    min_ms: round(runs[0]),
    max_ms: round(runs[6]),
    target_ms: 100,
    within_target: runs[3] < 100,
  };
}

/** Synthetic but well-formed instrument names from real currency codes (21 codes give 210 names). */
function manyInstruments(count: number): string[] {
  const codes =
    'EUR USD GBP JPY AUD CAD CHF NZD SEK NOK DKK PLN HUF CZK TRY ZAR MXN SGD HKD CNH INR'.split(
      ' ',
    );
  const names: string[] = [];
  for (let i = 0; i < codes.length && names.length < count; i += 1) {
    for (let j = i + 1; j < codes.length && names.length < count; j += 1)
      names.push(`${codes[i]}_${codes[j]}`);
  }
  return names;
}

async function insertCandles(
  ds: DataSource,
  instrument: string,
  times: Float64Array,
  bars: Bars,
): Promise<void> {
  const spec = instrumentSpec(instrument);
  const spread = spec.spreadPips * 10 ** spec.pipLocation;
  await ds.query(
    `INSERT INTO oanda_candles (instrument, time, granularity,
       open_bid, high_bid, low_bid, close_bid, open_ask, high_ask, low_ask, close_ask,
       open_mid, high_mid, low_mid, close_mid, volume, complete)
     SELECT $1, to_timestamp(u.t / 1000.0), 'H1',
       u.o::numeric, u.h::numeric, u.l::numeric, u.c::numeric,
       u.o::numeric + $2, u.h::numeric + $2, u.l::numeric + $2, u.c::numeric + $2,
       u.o::numeric + $2 / 2, u.h::numeric + $2 / 2, u.l::numeric + $2 / 2, u.c::numeric + $2 / 2, 100, true
     FROM unnest($3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[]) AS u(t, o, h, l, c)`,
    [
      instrument,
      spread.toFixed(spec.displayPrecision),
      Array.from(times),
      Array.from(bars.open),
      Array.from(bars.high),
      Array.from(bars.low),
      Array.from(bars.close),
    ],
  );
}

/** Inclusive time and calls per wrapped method since the last reset. */
const phases = new Map<string, { ms: number; calls: number }>();

/**
 * Wraps async methods of a class's prototype with a timer (the instances Nest
 * made share the prototype, so they are timed too). Nested phases overlap:
 * `compute` includes `loadRecent`.
 */
function timePhases(label: string, proto: object, names: readonly string[]): void {
  const methods = proto as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of names) {
    const original = methods[name];
    methods[name] = async function (this: unknown, ...args: unknown[]) {
      const started = performance.now();
      try {
        return await original.apply(this, args);
      } finally {
        const phase = phases.get(`${label}.${name}`) ?? { ms: 0, calls: 0 };
        phase.ms += performance.now() - started;
        phase.calls += 1;
        phases.set(`${label}.${name}`, phase);
      }
    };
  }
}

function instrumentPhases(): void {
  timePhases('correlation', CorrelationService.prototype, ['compute', 'run']);
  timePhases('loader', SeriesLoader.prototype, ['loadRecent', 'loadFullAll']);
  timePhases('correlation_store', CorrelationStore.prototype, [
    'previous',
    'upsert',
    'lastOutsideBands',
    'latestDate',
    'keysOn',
    'valuesOn',
    'rowsWithIdOn',
  ]);
  timePhases('correlation_query', CorrelationQueryService.prototype, ['refreshCache']);
  timePhases('best_pairs', BestPairsService.prototype, ['run']);
  timePhases('best_pairs_store', BestPairsStore.prototype, ['replace']);
  timePhases('alerts', JobAlertEvaluator.prototype, ['correlation']);
  timePhases('builtin_alerts', BuiltinAlertEvaluator.prototype, ['correlation']);
}

function takePhases(): Record<string, { ms: number; calls: number }> {
  const out = Object.fromEntries(
    [...phases].map(([k, v]) => [k, { ms: round(v.ms), calls: v.calls }]),
  );
  phases.clear();
  return out;
}

async function benchDailyJob(instruments: readonly string[]): Promise<Record<string, unknown>> {
  const base = AppConfig.fromEnv();
  const tag = `${Math.floor(Date.now() / 1000)}_${randomBytes(3).toString('hex')}`;
  const url = new URL(base.database.url ?? LOCAL_SERVERS.database);
  url.pathname = `/fx_bench_analytics_${tag}`;
  const prefix = `bench:${tag}:`;
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({
      DATABASE_URL: url.toString(),
      REDIS_URL: base.redis.url ?? LOCAL_SERVERS.redis,
      MARKET_DATA_PROVIDER: 'simulated',
      OANDA_API_KEY: '',
      INSTRUMENTS: instruments.join(','),
      SCHEDULER_ENABLED: 'false',
      PRICE_STREAM_ENABLED: 'false',
      JOBS_CATCH_UP_ON_BOOT: 'false',
      REDIS_KEY_PREFIX: prefix,
      LOG_LEVEL: 'warn',
    }),
    { logger: ['error', 'warn'] },
  );
  try {
    const ds = app.get(DataSource);
    const times = tradingHours(BARS);
    const data = market(instruments, BARS, 2);
    const insertStarted = performance.now();
    for (const [instrument, bars] of data) await insertCandles(ds, instrument, times, bars);
    const insertSeconds = (performance.now() - insertStarted) / 1000;
    await ds.query('ANALYZE oanda_candles');

    const runner = app.get(JobRunner);
    const registry = app.get(JobRegistry);
    takePhases();
    const timed = async (options: { asOf?: Date } = {}) => {
      const started = performance.now();
      const result = await runner.run('daily-correlation', (ctx) =>
        registry.runSteps('daily-correlation', ctx, options),
      );
      const ms = performance.now() - started;
      if (result.status !== 'success')
        throw new Error(`daily-correlation ${result.status}: ${result.errorMessage}`);
      return { ms, records: result.recordsProcessed, phases: takePhases() };
    };
    const first = await timed();
    const rerun = await timed();
    const yesterday = new Date(Date.now() - 86_400_000);
    const asOf = await timed({ asOf: yesterday });

    let metrics: Record<string, unknown> | undefined;
    if (instruments.length <= 20) {
      const started = performance.now();
      const outcome = await app
        .get(VolatilityService)
        .run(instruments, 'all', new AbortController().signal);
      metrics = {
        rows_written: outcome.recordsProcessed,
        ms: round(performance.now() - started),
        note: 'metrics:rebuild of the whole year (load, compute, unnest upsert of every row)',
      };
    }
    const pairs = (instruments.length * (instruments.length - 1)) / 2;
    return {
      instruments: instruments.length,
      pairs,
      windows: app.get(AppConfig).analytics.correlationWindows,
      candles: instruments.length * BARS,
      candle_insert_s: round(insertSeconds),
      first_run_ms: round(first.ms),
      rerun_same_day_ms: round(rerun.ms),
      as_of_yesterday_ms: round(asOf.ms),
      rows_written_first_run: first.records,
      us_per_pair_window: round((first.ms * 1000) / (pairs * 2)),
      ...(instruments.length <= 20
        ? { target_ms: 1000, within_target: first.ms < 1000 }
        : { target_ms: 10_000, within_target: first.ms < 10_000 }),
      ...(withPhases
        ? {
            phases_ms: {
              first_run: first.phases,
              rerun_same_day: rerun.phases,
              as_of_yesterday: asOf.phases,
            },
          }
        : {}),
      ...(metrics ? { metrics_rebuild: metrics } : {}),
    };
  } finally {
    await app.close();
    await dropDatabase(url.toString());
    await deleteKeys(base.redis.url ?? LOCAL_SERVERS.redis, prefix);
  }
}

async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const client = createClient({ url: redisUrl });
  client.on('error', () => undefined);
  try {
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      if (keys.length) await client.del(keys);
    }
  } finally {
    if (client.isOpen) await client.quit();
  }
}

const round = (v: number): number => Math.round(v * 100) / 100;
const withPhases = process.argv.includes('--phases');

async function main(): Promise<void> {
  const skip200 = process.argv.includes('--skip-200');
  const only200 = process.argv.includes('--only-200');
  if (withPhases) instrumentPhases();
  const report: Record<string, unknown> = {
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    loadavg: (await import('node:os')).loadavg().map(round),
    ...(only200 ? {} : { indicators: benchIndicators() }),
  };
  const daily: Array<Record<string, unknown>> = [];
  if (!only200) daily.push(await benchDailyJob(DEFAULT_INSTRUMENTS));
  if (!skip200) daily.push(await benchDailyJob(manyInstruments(200)));
  report.daily_correlation = daily;
  report.loadavg_after = (await import('node:os')).loadavg().map(round);
  console.log(JSON.stringify(report, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
