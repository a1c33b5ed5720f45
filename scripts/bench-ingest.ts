/**
 * `npm run bench:ingest`: one year of H1 candles for the 20 default
 * instruments from the simulated market into a fresh throwaway database,
 * through the same BackfillService the `backfill` command uses. Prints JSON;
 * the database is dropped afterwards. Target: under 20 s on 2 cores.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { BackfillService } from '../src/ingestion/backfill.service';
import { AppConfig, LOCAL_SERVERS } from '../src/platform/config/app-config';
import { DEFAULT_INSTRUMENTS } from '../src/platform/config/instruments';
import { dropDatabase } from '../src/platform/database/ensure-database';

async function main(): Promise<void> {
  const base = AppConfig.fromEnv();
  const tag = `${Math.floor(Date.now() / 1000)}_${randomBytes(3).toString('hex')}`;
  const url = new URL(base.database.url ?? LOCAL_SERVERS.database);
  url.pathname = `/fx_bench_ingest_${tag}`;
  const databaseUrl = url.toString();
  const concurrency = Number(process.argv[2] ?? 4);

  const bootStarted = performance.now();
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({
      DATABASE_URL: databaseUrl,
      REDIS_URL: base.redis.url ?? LOCAL_SERVERS.redis,
      MARKET_DATA_PROVIDER: 'simulated',
      OANDA_API_KEY: '',
      INSTRUMENTS: DEFAULT_INSTRUMENTS.join(','),
      SCHEDULER_ENABLED: 'false',
      PRICE_STREAM_ENABLED: 'false',
      JOBS_CATCH_UP_ON_BOOT: 'false',
      REDIS_KEY_PREFIX: `bench:${tag}:`,
      LOG_LEVEL: 'warn',
    }),
    { logger: ['error', 'warn'] },
  );
  const bootSeconds = (performance.now() - bootStarted) / 1000;
  try {
    const backfill = app.get(BackfillService);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const run = await backfill.run({
      instruments: DEFAULT_INSTRUMENTS,
      granularity: 'H1',
      days: 365,
      concurrency,
    });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const [{ n }] = await app
      .get(DataSource)
      .query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM oanda_candles`);
    const failed = run.results.filter((r) => r.status !== 'ok');
    if (run.job.status !== 'success' || failed.length > 0)
      throw new Error(`backfill ${run.job.status}: ${run.job.errorMessage ?? ''}`);
    const stored = run.results.reduce((s, r) => s + r.inserted + r.updated, 0);
    process.stdout.write(
      `${JSON.stringify(
        {
          candles: n,
          stored,
          seconds: Number(seconds.toFixed(2)),
          candles_per_second: Math.round(n / seconds),
          instruments: run.results.length,
          concurrency,
          requests: run.results.reduce((s, r) => s + r.pages, 0),
          node_cpu_seconds: Number(((used.user + used.system) / 1e6).toFixed(2)),
          boot_seconds: Number(bootSeconds.toFixed(2)),
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
