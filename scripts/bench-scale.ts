/**
 * `npm run bench:scale`: the service at three history sizes, printed as JSON.
 *
 *   base: 1 year x 20 pairs of H1 (the seeds' size), the yardstick;
 *   long: 10 years x 20 pairs (~1.25M candles);
 *   wide: 1 year x 200 pairs.
 *
 * Each runs in its own throwaway database (fx_bench_scale_*, dropped after),
 * seeded by PostgreSQL itself (generate_series: test/factories/history.factory.ts,
 * not the app's backfill) into the monthly partitions, plus one metrics row per
 * candle (SQL too). Measured, in milliseconds: the hourly job (sync of the last
 * hours from the simulated provider + metrics of the new candles), a one-year
 * CSV read of one instrument (the API's streaming path), the metrics rebuild
 * of one instrument (its whole history), the daily correlation job, the
 * fallback price lookup of every instrument, and a steady-state retention
 * run (DATA_RETENTION_DAYS set so one week of the oldest history is past the
 * window, as a weekly run finds it); and table plus index sizes.
 *
 * Usage: npm run bench:scale [-- base long wide] [--only measure,...] [--help]
 *   scenarios  default: all three
 *   --only     just these measures (seeding still runs): hourly, read, rebuild,
 *              correlation, prices, retention, sizes. `--only correlation,prices`
 *              skips the metrics rows and the heavy hourly and rebuild runs.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { NestFactory } from '@nestjs/core';
import { createClient } from 'redis';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { CANDLE_PARTITIONS, CandleSeriesService } from '../src/candles';
import { CandlesService } from '../src/candles/candles.service';
import { JobRegistry, JobRunner } from '../src/platform/jobs';
import type { JobName } from '../src/platform/config';
import { AppConfig, LOCAL_SERVERS } from '../src/platform/config/app-config';
import { DEFAULT_INSTRUMENTS } from '../src/platform/config/instruments';
import { ensurePartitions, unitAdd, unitFloor } from '../src/platform/database';
import { dropDatabase } from '../src/platform/database/ensure-database';
import { DAY_MS, HOUR_MS } from '../src/platform/time';
import { RetentionService } from '../src/retention/retention.service';
import { METRIC_PARTITIONS } from '../src/volatility';
import { VolatilityService } from '../src/volatility/volatility.service';
import { insertHistory } from '../test/factories/history.factory';

interface Scenario {
  name: string;
  years: number;
  pairs: number;
}

const SCENARIOS: Scenario[] = [
  { name: 'base', years: 1, pairs: 20 },
  { name: 'long', years: 10, pairs: 20 },
  { name: 'wide', years: 1, pairs: 200 },
];

/** Synthetic but well-formed instrument names from real currency codes (21 codes give 210 names). */
function instrumentsFor(count: number): string[] {
  if (count <= DEFAULT_INSTRUMENTS.length) return DEFAULT_INSTRUMENTS.slice(0, count);
  const codes =
    'EUR USD GBP JPY AUD CAD CHF NZD SEK NOK DKK PLN HUF CZK TRY ZAR MXN SGD HKD CNH INR'.split(
      ' ',
    );
  const names: string[] = [];
  for (let i = 0; i < codes.length && names.length < count; i += 1)
    for (let j = i + 1; j < codes.length && names.length < count; j += 1)
      names.push(`${codes[i]}_${codes[j]}`);
  return names;
}

const MEASURES = [
  'hourly',
  'read',
  'rebuild',
  'correlation',
  'prices',
  'retention',
  'sizes',
] as const;
type Measure = (typeof MEASURES)[number];

const USAGE = `npm run bench:scale [-- ${SCENARIOS.map((s) => s.name).join(' ')}] [--only ${MEASURES.join(',')}]
  scenarios: ${SCENARIOS.map((s) => `${s.name} = ${s.years} y x ${s.pairs} pairs`).join(', ')} (default: all)
  --only: just these measures (default: all); without hourly, rebuild, retention and sizes no metrics rows are seeded`;

const round = (v: number): number => Math.round(v * 10) / 10;

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await run();
  return { ms: round(performance.now() - started), result };
}

/** Bytes of a table with its indexes and TOAST, partitions included. */
async function sizeOf(ds: DataSource, table: string): Promise<number> {
  const [{ bytes }] = await ds.query<Array<{ bytes: string }>>(
    `SELECT COALESCE(sum(pg_total_relation_size(relid)), 0)::text AS bytes FROM pg_partition_tree($1::regclass)`,
    [table],
  );
  return Number(bytes);
}

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const mb = (bytes: number): number => Math.round(bytes / 10_485.76) / 100;

async function runScenario(
  s: Scenario,
  only: ReadonlySet<Measure>,
): Promise<Record<string, unknown>> {
  const wants = (m: Measure): boolean => only.has(m);
  const needsMetrics = wants('hourly') || wants('rebuild') || wants('retention') || wants('sizes');
  const base = AppConfig.fromEnv();
  const tag = `${Math.floor(Date.now() / 1000)}_${randomBytes(3).toString('hex')}`;
  const url = new URL(base.database.url ?? LOCAL_SERVERS.database);
  url.pathname = `/fx_bench_scale_${s.name}_${tag}`;
  const prefix = `bench:${tag}:`;
  const instruments = instrumentsFor(s.pairs);
  const now = Date.now();
  // History up to three hours ago: the hourly job has a few candles to fetch per instrument.
  const last = Math.floor(now / HOUR_MS) * HOUR_MS - 3 * HOUR_MS;
  const hours = Math.round((s.years * 365 * DAY_MS) / HOUR_MS);
  const from = new Date(last - (hours - 1) * HOUR_MS);
  // Steady state: the oldest week is past the window, as a weekly retention run finds it.
  const retentionDays = Math.floor((now - from.getTime()) / DAY_MS) - 7;

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
      DATA_RETENTION_DAYS: String(retentionDays),
      REDIS_KEY_PREFIX: prefix,
      LOG_LEVEL: 'warn',
    }),
    { logger: ['error', 'warn'] },
  );
  try {
    const ds = app.get(DataSource);
    const seed = await timed(async () => {
      const months: number[] = [];
      for (let m = unitFloor('month', from.getTime()); m <= now; m = unitAdd('month', m, 1))
        months.push(m);
      await ensurePartitions(ds, CANDLE_PARTITIONS, months);
      await ensurePartitions(ds, METRIC_PARTITIONS, months);
      const candles = await insertHistory(ds, { instruments, from, hours });
      if (needsMetrics)
        await ds.query(
          `INSERT INTO volatility_metrics (instrument, time, volatility_20, volatility_50, sma_15, sma_20, sma_30,
           sma_50, ema_12, ema_26, bb_upper, bb_middle, bb_lower, atr, rsi_14, macd, macd_signal, macd_histogram,
           stoch_k, stoch_d, williams_r)
         SELECT instrument, time, 0.08, 0.07, c, c, c, c, c, c, c + 0.01, c, c - 0.01, 0.001, 50, 0.0001, 0.0001, 0, 50, 50, -50
           FROM (SELECT instrument, time, close_mid::float8 AS c FROM oanda_candles) s`,
        );
      await ds.query('ANALYZE oanda_candles');
      await ds.query('ANALYZE volatility_metrics');
      return candles;
    });

    const runner = app.get(JobRunner);
    const registry = app.get(JobRegistry);
    const job = (name: JobName) =>
      timed(async () => {
        const result = await runner.run(name, (ctx) => registry.runSteps(name, ctx, {}));
        if (result.status !== 'success' && result.status !== 'partial')
          throw new Error(`${name} ${result.status}: ${result.errorMessage}`);
        return result.recordsProcessed;
      });

    const out: Record<string, unknown> = {
      scenario: s.name,
      years: s.years,
      pairs: s.pairs,
      candles: seed.result,
      seed_s: round(seed.ms / 1000),
    };
    const perPair: Record<string, number> = {};

    if (wants('hourly')) {
      const hourly = await job('hourly');
      const hourlyAgain = await job('hourly');
      // The hourly metrics step alone, nothing new to write: what it costs to load and recompute history.
      const metricsNew = await timed(() =>
        app.get(VolatilityService).run(instruments, 'new', new AbortController().signal),
      );
      Object.assign(out, {
        hourly_job_ms: hourly.ms,
        hourly_job_records: hourly.result,
        hourly_job_rerun_ms: hourlyAgain.ms,
        hourly_metrics_step_alone_ms: metricsNew.ms,
      });
      perPair.hourly_job_ms = round(hourly.ms / s.pairs);
    }

    if (wants('read')) {
      const yearAgo = new Date(now - 365 * DAY_MS).toISOString();
      const read = await timed(async () => {
        const query = { from: yearAgo, to: new Date(now).toISOString(), price: 'MBA' };
        const stream: Readable = await app.get(CandlesService).csv(instruments[0], query);
        let bytes = 0;
        for await (const chunk of stream) bytes += (chunk as Buffer).length;
        return bytes;
      });
      Object.assign(out, { one_year_csv_read_ms: read.ms, one_year_csv_bytes: read.result });
    }

    if (wants('rebuild')) {
      const rebuild = await timed(() =>
        app.get(VolatilityService).run([instruments[0]], 'all', new AbortController().signal),
      );
      Object.assign(out, {
        metrics_rebuild_one_instrument_ms: rebuild.ms,
        metrics_rebuild_rows: rebuild.result.recordsProcessed,
      });
    }

    if (wants('correlation')) {
      const correlation = await job('daily-correlation');
      const [{ n: correlationRows }] = await ds.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM correlation_matrix`,
      );
      Object.assign(out, {
        correlation_job_ms: correlation.ms,
        correlation_rows_per_day: correlationRows,
      });
      perPair.correlation_job_ms = round(correlation.ms / s.pairs);
    }

    if (wants('prices')) {
      const lookup = () => timed(() => app.get(CandleSeriesService).latestClosePrices(instruments));
      const prices = await lookup();
      const again = [];
      for (let k = 0; k < 5; k += 1) again.push((await lookup()).ms);
      // The lookup before candle_summary was used: newest candle by ORDER BY time DESC LIMIT 1
      // per instrument, one probe per monthly partition. For comparison in the same run.
      const probe = [];
      for (let k = 0; k < 5; k += 1)
        probe.push(
          (
            await timed(() =>
              ds.query(
                `SELECT i.instrument, c.close_mid FROM unnest($1::varchar[]) AS i(instrument)
                 CROSS JOIN LATERAL (SELECT close_mid FROM oanda_candles
                   WHERE instrument = i.instrument AND granularity = 'H1' ORDER BY time DESC LIMIT 1) c`,
                [instruments],
              ),
            )
          ).ms,
        );
      Object.assign(out, {
        latest_prices_all_instruments_ms: prices.ms,
        latest_prices_median_of_5_ms: median(again),
        latest_prices_full_probe_median_of_5_ms: median(probe),
      });
    }

    if (wants('retention')) {
      const retention = await timed(() => app.get(RetentionService).purgeData({}));
      const candlesPurge = retention.result.tables.find((t) => t.table === 'oanda_candles');
      Object.assign(out, {
        retention_run_ms: retention.ms,
        retention_rows: retention.result.total,
        retention_candle_partitions_dropped: candlesPurge?.partitions ?? 0,
      });
      perPair.retention_run_ms = round(retention.ms / s.pairs);
    }

    if (wants('sizes')) {
      const sizes = {
        oanda_candles_mb: mb(await sizeOf(ds, 'oanda_candles')),
        volatility_metrics_mb: mb(await sizeOf(ds, 'volatility_metrics')),
        correlation_matrix_mb: mb(await sizeOf(ds, 'correlation_matrix')),
        best_pairs_tracker_mb: mb(await sizeOf(ds, 'best_pairs_tracker')),
      };
      Object.assign(out, sizes);
      perPair.tables_mb = round((sizes.oanda_candles_mb + sizes.volatility_metrics_mb) / s.pairs);
    }
    return { ...out, per_pair: perPair };
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
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 }))
      if (keys.length) await client.del(keys);
  } finally {
    if (client.isOpen) await client.quit();
  }
}

/** Ratio to the base figure, for the "within 2x" check. */
function ratios(
  base: Record<string, unknown>,
  other: Record<string, unknown>,
  keys: readonly string[],
): Record<string, number> {
  return Object.fromEntries(
    keys
      .filter((k) => k in base && k in other)
      .map((k) => [k, round((Number(other[k]) / Math.max(Number(base[k]), 0.1)) * 100) / 100]),
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    console.log(USAGE);
    return;
  }
  const onlyAt = args.indexOf('--only');
  const only = new Set<Measure>(
    onlyAt >= 0 ? (args[onlyAt + 1] ?? '').split(',').map((m) => m.trim() as Measure) : MEASURES,
  );
  const unknown = [...only].filter((m) => !MEASURES.includes(m));
  const wanted = args.filter((a, i) => !a.startsWith('--') && (onlyAt < 0 || i !== onlyAt + 1));
  const badScenarios = wanted.filter((w) => !SCENARIOS.some((s) => s.name === w));
  if (unknown.length || badScenarios.length) {
    console.error(`unknown ${[...unknown, ...badScenarios].join(', ')}\n${USAGE}`);
    process.exit(2);
  }
  const scenarios = SCENARIOS.filter((s) => wanted.length === 0 || wanted.includes(s.name));
  const results: Array<Record<string, unknown>> = [];
  for (const s of scenarios) results.push(await runScenario(s, only));
  const base = results.find((r) => r.scenario === 'base');
  const keys = [
    'hourly_job_ms',
    'one_year_csv_read_ms',
    'metrics_rebuild_one_instrument_ms',
    'correlation_job_ms',
    'retention_run_ms',
    'latest_prices_all_instruments_ms',
    'latest_prices_median_of_5_ms',
    'oanda_candles_mb',
  ];
  console.log(
    JSON.stringify(
      {
        node: process.version,
        cpus: (await import('node:os')).cpus().length,
        loadavg_after: (await import('node:os')).loadavg().map((v) => round(v)),
        scenarios: results,
        ...(base
          ? {
              ratio_to_base: Object.fromEntries(
                results
                  .filter((r) => r !== base)
                  .map((r) => [r.scenario as string, ratios(base, r, keys)]),
              ),
            }
          : {}),
      },
      null,
      2,
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
