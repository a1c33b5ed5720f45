/**
 * `npm run bench:ops`: the retention job on a year-plus of old rows in a fresh
 * throwaway database, with a writer upserting candles the whole time (the
 * hourly sync's pattern) to show the batched deletes never block it for long;
 * plus the session clock's speed. Prints JSON; the database is dropped.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { AppConfig, LOCAL_SERVERS } from '../src/config/app-config';
import { dropDatabase } from '../src/database/ensure-database';
import { RetentionService } from '../src/jobs/retention/retention.service';
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
const AUDIT_ROWS = 500_000;

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
    `INSERT INTO oanda_candles (instrument, time, granularity, bid_open, bid_high, bid_low, bid_close,
       ask_open, ask_high, ask_low, ask_close, mid_open, mid_high, mid_low, mid_close, volume, complete)
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
  await db.query(
    `INSERT INTO real_time_prices_audit (instrument, bid, ask, mid, timestamp)
     SELECT 'EUR_USD', 1.1, 1.1002, 1.1001, now() - interval '2 days' - g * interval '100 milliseconds'
       FROM generate_series(1, $1::int) AS g`,
    [AUDIT_ROWS],
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
        `INSERT INTO oanda_candles (instrument, time, granularity, bid_open, bid_high, bid_low, bid_close,
           ask_open, ask_high, ask_low, ask_close, mid_open, mid_high, mid_low, mid_close, volume, complete)
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
      PRICE_STREAM_ENABLED: 'false',
      JOBS_CATCH_UP_ON_BOOT: 'false',
      REDIS_KEY_PREFIX: `bench:${tag}:`,
      LOG_LEVEL: 'warn',
    }),
    { logger: ['error', 'warn'] },
  );
  try {
    const db = app.get(DataSource);
    const retention = app.get(RetentionService);
    const seedStarted = performance.now();
    await seed(db);
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    const w = writer(db);
    await new Promise((r) => setTimeout(r, 300)); // writer baseline before the deletes start
    const started = performance.now();
    const data = await retention.purgeData();
    const audit = await retention.pruneAudit();
    const seconds = (performance.now() - started) / 1000;
    const latencies = (await w.stop()).sort((a, b) => a - b);

    const deleted = data.total + audit.total;
    process.stdout.write(
      `${JSON.stringify(
        {
          retention: {
            rows_deleted: deleted,
            by_table: Object.fromEntries(
              [...data.tables, ...audit.tables].map((t) => [
                t.table,
                { rows: t.rows, batches: t.batches },
              ]),
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
