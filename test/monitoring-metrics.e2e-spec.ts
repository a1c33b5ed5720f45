import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { isMarketOpen } from '../src/platform/time/trading-calendar';
import { expectedLatestCandle } from '../src/health/data-freshness';
import { OpsMetricsCollector } from '../src/health/ops-metrics/ops-metrics.collector';
import { bearer } from './utils/auth-helpers';
import { insertCandle, waitFor } from './utils/ops-helpers';
import {
  dashboardExpressions,
  exposedNames,
  promqlMetricNames,
  rulesExpressions,
} from './utils/promql-names';
import { startTestApp, TestApp } from './utils/test-app';

const HOOK_TIMEOUT_MS = 60_000;
const METRICS_TOKEN = 'monitoring-scrape-token-for-tests';
// Jest runs from the repository root (ESM mode has no __dirname).
const MONITORING = join(process.cwd(), 'monitoring');
/** Series Prometheus makes itself for every target; they are never in /metrics. */
const PROMETHEUS_SERIES = new Set(['up']);

const dashboard: unknown = JSON.parse(
  readFileSync(join(MONITORING, 'grafana/dashboards/fx-pipeline.json'), 'utf8'),
);
const rules = readFileSync(join(MONITORING, 'prometheus/fx-pipeline.rules.yml'), 'utf8');

/** The value of the one sample `name{labels}` in a text exposition, or undefined. */
function sample(text: string, series: string): string | undefined {
  const escaped = series.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text)?.[1];
}

describe('monitoring files', () => {
  it('should read metric names out of PromQL, not functions, labels or keywords', () => {
    expect(
      promqlMetricNames(
        'sum by (job) (increase(job_runs_total{status="failed"}[1h])) > 0 unless on (job) max(up{job="x"}) == 1',
      ).sort(),
    ).toEqual(['job_runs_total', 'up']);
    expect(
      promqlMetricNames(
        'histogram_quantile(0.95, sum by (route, le) (rate(http_request_duration_seconds_bucket[5m])))',
      ),
    ).toEqual(['http_request_duration_seconds_bucket']);
  });

  it('should find an expression in every rule and every dashboard panel', () => {
    const ruleCount = (rules.match(/^\s*- alert:/gm) ?? []).length;
    expect(rulesExpressions(rules)).toHaveLength(ruleCount);
    expect(rulesExpressions(rules).every((e) => e.length > 0)).toBe(true);
    // Titles the issue asks the dashboard to show.
    const titles = JSON.stringify(dashboard);
    for (const topic of [
      'Job runs',
      'Job duration',
      'Data freshness',
      'HTTP latency',
      'HTTP errors',
      'Socket.IO clients',
      'Socket.IO messages',
      'Cache',
      'Provider requests',
      'stream leader',
      'Database size',
    ])
      expect(titles).toContain(topic);
    expect(dashboardExpressions(dashboard).length).toBeGreaterThanOrEqual(20);
  });
});

describe(OpsMetricsCollector.name, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(
      {
        INSTRUMENTS: 'EUR_USD,GBP_USD',
        AUTH_MODE: 'keys',
        METRICS_TOKEN,
        // The stream leader gauge needs a stream to lead (the simulated market).
        PRICE_STREAM_ENABLED: 'true',
      },
      'monitoring',
    );
    await insertCandle(
      t.dataSource,
      'EUR_USD',
      new Date(expectedLatestCandle(Date.now(), isMarketOpen)),
    );
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await t?.close();
  }, HOOK_TIMEOUT_MS);

  const scrape = async (): Promise<string> =>
    (await request(t.url).get('/metrics').set(bearer(METRICS_TOKEN)).expect(200)).text;

  it('should expose every metric the dashboard and the alert rules use', async () => {
    const exposed = exposedNames(await scrape());
    const used = new Set([
      ...dashboardExpressions(dashboard).flatMap(promqlMetricNames),
      ...rulesExpressions(rules).flatMap(promqlMetricNames),
    ]);
    expect(used.size).toBeGreaterThan(10);
    const missing = [...used].filter((n) => !exposed.has(n) && !PROMETHEUS_SERIES.has(n));
    expect(missing).toEqual([]);
  });

  it('should report data freshness per instrument, +Inf for one without candles', async () => {
    const text = await scrape();
    expect(sample(text, 'data_freshness_seconds{instrument="EUR_USD"}')).toBe('0');
    expect(sample(text, 'data_freshness_seconds{instrument="GBP_USD"}')).toBe('+Inf');
    expect(
      Number(sample(text, 'candle_last_complete_timestamp_seconds{instrument="EUR_USD"}')),
    ).toBe(expectedLatestCandle(Date.now(), isMarketOpen) / 1000);
    expect(sample(text, 'candle_last_complete_timestamp_seconds{instrument="GBP_USD"}')).toBe(
      undefined,
    );
    expect(['0', '1']).toContain(sample(text, 'market_open'));
  });

  it('should say both dependencies are up', async () => {
    const text = await scrape();
    expect(sample(text, 'dependency_up{dependency="postgres"}')).toBe('1');
    expect(sample(text, 'dependency_up{dependency="redis"}')).toBe('1');
  });

  it('should mark this instance as the stream leader once it holds the stream', async () => {
    const text = await waitFor('stream_leader 1', async () => {
      const body = await scrape();
      return sample(body, 'stream_leader') === '1' ? body : undefined;
    });
    expect(sample(text, 'stream_enabled')).toBe('1');
  });

  it('should give table sizes per logical table, partitions summed under their parent', async () => {
    const text = await scrape();
    expect(Number(sample(text, 'db_table_size_bytes{table="oanda_candles"}'))).toBeGreaterThan(0);
    // real_time_prices_audit is partitioned by hour: one series for it, none for its partitions.
    expect(
      Number(sample(text, 'db_table_size_bytes{table="real_time_prices_audit"}')),
    ).toBeGreaterThan(0);
    expect(text).not.toMatch(/db_table_size_bytes\{table="real_time_prices_audit_/);
  });

  it('should start every job x outcome counter at 0 so the first failure is visible to increase()', async () => {
    const text = await scrape();
    for (const job of ['hourly', 'daily-correlation', 'retention', 'audit-prune'])
      expect(sample(text, `job_runs_total{job="${job}",status="failed"}`)).toBe('0');
  });

  it('should refuse a scrape without the token', async () => {
    await request(t.url).get('/metrics').expect(401);
  });
});
