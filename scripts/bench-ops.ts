/**
 * `npm run bench:ops`: the retention job on a year-plus of old rows in a fresh
 * throwaway database, with a writer upserting candles the whole time (the
 * hourly sync's pattern) to show the batched deletes never block it for long;
 * the live-price audit (rows per day with sampling: computed and measured on
 * the simulated stream; prune time of a day of hourly partitions at two sizes,
 * against deleting the same rows); plus the session clock's speed. Prints
 * JSON; the database is dropped.
 *
 * Arguments: [old candle hours = 10000] [audit stream seconds = 15]
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { AppConfig, LOCAL_SERVERS } from '../src/platform/config/app-config';
import { dropDatabase } from '../src/platform/database/ensure-database';
import { RetentionService } from '../src/retention/retention.service';
import { ensureAuditPartitions, hourFloor } from '../src/prices/audit-partitions';
import { HOUR_MS } from '../src/platform/time';
import { maxAuditRowsPerDay } from '../src/prices/audit-sampler';
import { AUDIT_FLUSH_MS, PriceAuditService } from '../src/prices/price-audit.store';
import { PriceStreamService } from '../src/prices/price-stream.service';
import { readClock, type SessionDefinition } from '../src/sessions/session-clock';

const OLD_HOURS = Number(process.argv[2] ?? 10_000);
const INSTRUMENTS = [
  'EUR_USD',
  'GBP_USD',
  'USD_JPY',
  'AUD_USD',
  'USD_CAD',
  'USD_CHF',
  'NZD_USD',
  'EUR_GBP',
  'EUR_JPY',
  'GBP_JPY',
];
const STREAM_SECONDS = Number(process.argv[3] ?? 15);
/** Rows per hour of a day of audit at the default sampling (20 instruments x 3600 s), and a tenth of it. */
const AUDIT_ROWS_PER_HOUR = [7_200, 72_000];
const AUDIT_HOURS = 24;

const SESSIONS: SessionDefinition[] = [
  {
    name: 'Tokyo',
    openUtc: '00:00',
    closeUtc: '08:00',
    timezone: 'Asia/Tokyo',
    localOpen: '09:00',
    localClose: '17:00',
  },
  {
    name: 'London',
    openUtc: '08:00',
    closeUtc: '16:00',
    timezone: 'Europe/London',
    localOpen: '08:00',
    localClose: '16:00',
  },
  {
    name: 'NewYork',
    openUtc: '13:00',
    closeUtc: '21:00',
    timezone: 'America/New_York',
    localOpen: '08:00',
    localClose: '16:00',
  },
  {
    name: 'Sydney',
    openUtc: '22:00',
    closeUtc: '06:00',
    timezone: 'Australia/Sydney',
    localOpen: '08:00',
    localClose: '16:00',
  },
];

async function seed(db: DataSource): Promise<void> {
  // Candles from 2 years ago backwards, so all of them are past the 365-day retention.
  await db.query(
    `INSERT INTO oanda_candles (instrument, time, granularity, open_bid, high_bid, low_bid, close_bid,
       open_ask, high_ask, low_ask, close_ask, open_mid, high_mid, low_mid, close_mid, volume, complete)
     SELECT i, now() - interval '730 days' - g * interval '1 hour', 'H1',
            1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1, true
       FROM unnest($1::varchar[]) AS i, generate_series(1, $2::int) AS g`,
    [INSTRUMENTS, OLD_HOURS],
  );
  await db.query(
    `INSERT INTO volatility_metrics (instrument, time, sma_20)
     SELECT i, now() - interval '730 days' - g * interval '1 hour', 1.1
       FROM unnest($1::varchar[]) AS i, generate_series(1, $2::int) AS g`,
    [INSTRUMENTS, OLD_HOURS],
  );
  await db.query('ANALYZE');
}

/** Upserts one fresh candle after another until stopped; returns every statement's latency. */
function writer(db: DataSource): { stop: () => Promise<number[]> } {
  let running = true;
  const latencies: number[] = [];
  const loop = (async () => {
    for (let i = 0; running; i += 1) {
      const started = performance.now();
      await db.query(
        `INSERT INTO oanda_candles (instrument, time, granularity, open_bid, high_bid, low_bid, close_bid,
           open_ask, high_ask, low_ask, close_ask, open_mid, high_mid, low_mid, close_mid, volume, complete)
         VALUES ('EUR_USD', date_trunc('hour', now()) - $1 * interval '1 hour', 'H1',
           1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1, true)
         ON CONFLICT (instrument, time, granularity) DO UPDATE SET volume = oanda_candles.volume + 1`,
        [i % 500],
      );
      latencies.push(performance.now() - started);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return latencies;
    },
  };
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;
const ms = (v: number): number => Number(v.toFixed(2));

function benchClock(): { calls: number; microseconds_per_call: Record<string, number> } {
  const calls = 2_000;
  const result: Record<string, number> = {};
  for (const mode of ['utc', 'dst_aware'] as const) {
    const start = Date.parse('2026-03-01T00:00:00Z');
    readClock(SESSIONS, start, mode); // warm the Intl formatters
    const started = performance.now();
    for (let i = 0; i < calls; i += 1) readClock(SESSIONS, start + i * 3_600_000, mode);
    result[mode] = Number((((performance.now() - started) / calls) * 1000).toFixed(1));
  }
  return { calls, microseconds_per_call: result };
}

/** The simulated stream (a tick per instrument every 250 ms, ~OANDA's 72/s) through the real audit path. */
async function measureSampling(
  db: DataSource,
  stream: PriceStreamService,
  audit: PriceAuditService,
  intervalMs: number,
  instruments: number,
): Promise<Record<string, number>> {
  const deadline = Date.now() + 60_000;
  while (audit.stats().written === 0 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  const ticks0 = stream.status().ticks_received;
  const started = performance.now();
  const step = intervalMs > 0 ? intervalMs : 1000;
  const from = Math.ceil(Date.now() / step) * step;
  await new Promise((r) => setTimeout(r, STREAM_SECONDS * 1000));
  const seconds = (performance.now() - started) / 1000;
  const ticks = stream.status().ticks_received - ticks0;
  const to = Math.floor(Date.now() / step) * step - step; // the last whole interval has been written
  await new Promise((r) => setTimeout(r, 2 * AUDIT_FLUSH_MS));
  await audit.flush();
  // Rows by their price time, over whole intervals, so no interval is counted half.
  const [{ n: rows }] = await db.query<Array<{ n: number }>>(
    `SELECT count(*)::int AS n FROM real_time_prices_audit WHERE timestamp >= $1 AND timestamp < $2`,
    [new Date(from), new Date(to)],
  );
  const window = (to - from) / 1000;
  return {
    instruments,
    interval_ms: intervalMs,
    max_rows_per_day: maxAuditRowsPerDay(instruments, intervalMs),
    measured_seconds: Number(seconds.toFixed(1)),
    ticks_per_second: Number((ticks / seconds).toFixed(1)),
    unsampled_rows_per_day: Math.round((ticks / seconds) * 86_400),
    rows_per_second: Number((rows / window).toFixed(2)),
    rows_per_day: Math.round((rows / window) * 86_400),
  };
}

/**
 * A day of audit rows in hourly partitions wholly past the 24 h cutoff, pruned
 * by the audit-prune path (partitions dropped); then the same rows in the
 * default partition, which the prune has to delete row by row (the old way).
 */
async function measurePrune(
  db: DataSource,
  retention: RetentionService,
  rowsPerHour: number,
  withBaseline: boolean,
): Promise<Record<string, number>> {
  const first = hourFloor(Date.now()) - 50 * HOUR_MS;
  const insert = (from: number) =>
    db.query(
      `INSERT INTO real_time_prices_audit (instrument, bid, ask, mid, timestamp)
       SELECT 'EUR_USD', 1.1, 1.1002, 1.1001, to_timestamp($1::float8 / 1000) + g * ($2::float8 * interval '1 millisecond')
         FROM generate_series(0, $3::int - 1) AS g`,
      [from, HOUR_MS / rowsPerHour, rowsPerHour * AUDIT_HOURS],
    );
  await ensureAuditPartitions(db, new Date(first), AUDIT_HOURS - 1);
  await insert(first);
  await db.query('ANALYZE real_time_prices_audit');
  let started = performance.now();
  const dropped = await retention.pruneAudit();
  const dropSeconds = (performance.now() - started) / 1000;

  const result: Record<string, number> = {
    rows: rowsPerHour * AUDIT_HOURS,
    partitions_dropped: dropped.tables[0]?.partitions ?? 0,
    rows_pruned: dropped.total,
    prune_ms: Math.round(dropSeconds * 1000),
  };
  if (!withBaseline) return result;
  // The same volume where no partition exists (a year back): the default partition, deleted in batches.
  await insert(first - 365 * 24 * HOUR_MS);
  await db.query('ANALYZE real_time_prices_audit');
  started = performance.now();
  const deleted = await retention.pruneAudit();
  const deleteSeconds = (performance.now() - started) / 1000;
  return {
    ...result,
    row_delete_rows: deleted.total,
    row_delete_ms: Math.round(deleteSeconds * 1000),
  };
}

async function main(): Promise<void> {
  const base = AppConfig.fromEnv();
  const tag = `${Math.floor(Date.now() / 1000)}_${randomBytes(3).toString('hex')}`;
  const url = new URL(base.database.url ?? LOCAL_SERVERS.database);
  url.pathname = `/fx_bench_ops_${tag}`;
  const databaseUrl = url.toString();
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({
      DATABASE_URL: databaseUrl,
      REDIS_URL: base.redis.url ?? LOCAL_SERVERS.redis,
      MARKET_DATA_PROVIDER: 'simulated',
      OANDA_API_KEY: '',
      SCHEDULER_ENABLED: 'false',
      // The live stream runs (simulated, default 20 instruments) for the audit figures.
      PRICE_STREAM_ENABLED: 'true',
      JOBS_CATCH_UP_ON_BOOT: 'false',
      REDIS_KEY_PREFIX: `bench:${tag}:`,
      LOG_LEVEL: 'warn',
    }),
    { logger: ['error', 'warn'] },
  );
  try {
    const db = app.get(DataSource);
    const retention = app.get(RetentionService);
    const config = app.get(AppConfig);
    const sampling = await measureSampling(
      db,
      app.get(PriceStreamService),
      app.get(PriceAuditService),
      config.retention.auditIntervalMs,
      config.market.instruments.length,
    );
    const seedStarted = performance.now();
    await seed(db);
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    const w = writer(db);
    await new Promise((r) => setTimeout(r, 300)); // writer baseline before the deletes start
    const started = performance.now();
    const data = await retention.purgeData();
    const seconds = (performance.now() - started) / 1000;
    const latencies = (await w.stop()).sort((a, b) => a - b);

    const deleted = data.total;
    const prune: Array<Record<string, number>> = [];
    for (const rowsPerHour of AUDIT_ROWS_PER_HOUR)
      prune.push(await measurePrune(db, retention, rowsPerHour, true));
    process.stdout.write(
      `${JSON.stringify(
        {
          retention: {
            rows_deleted: deleted,
            by_table: Object.fromEntries(
              data.tables.map((t) => [t.table, { rows: t.rows, batches: t.batches }]),
            ),
            seconds: Number(seconds.toFixed(2)),
            rows_per_second: Math.round(deleted / seconds),
          },
          concurrent_upserts: {
            count: latencies.length,
            p50_ms: ms(percentile(latencies, 50)),
            p99_ms: ms(percentile(latencies, 99)),
            max_ms: ms(latencies[latencies.length - 1] ?? 0),
          },
          audit: { sampling, prune },
          session_clock: benchClock(),
          seed_seconds: Number(seedSeconds.toFixed(2)),
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await app.close();
    await dropDatabase(databaseUrl);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
