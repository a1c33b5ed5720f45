import request from 'supertest';
import { isMarketOpen } from '../src/platform/time/trading-calendar';
import { expectedLatestCandle } from '../src/health/data-freshness';
import { DetailedHealthService } from '../src/health/detailed-health.service';
import { JobRunner } from '../src/jobs/runner/job-runner.service';
import { freePort, insertCandle } from './utils/ops-helpers';
import { startTestApp, TestApp } from './utils/test-app';

/** Booting an app (migrations, Redis connect timeouts) on a busy 2-core machine. */
const HOOK_TIMEOUT_MS = 60_000;

/** One sample line of the Prometheus text format: name{labels} value [timestamp]. */
const SAMPLE =
  /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? (-?[0-9.]+(e[+-]?[0-9]+)?|NaN|[+-]Inf)( -?\d+)?$/;

describe(DetailedHealthService.name, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(
      { INSTRUMENTS: 'EUR_USD,GBP_USD', INSTANCE_ID: 'ops-health' },
      'ops_health',
    );
    // EUR_USD is up to date, GBP_USD has no candle at all.
    await insertCandle(
      t.dataSource,
      'EUR_USD',
      new Date(expectedLatestCandle(Date.now(), isMarketOpen)),
    );
    await t.app.get(JobRunner).run('hourly', async () => ({ recordsProcessed: 2 }));
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await t?.close();
  }, HOOK_TIMEOUT_MS);

  it('should keep /health the cheap probe', async () => {
    const res = await request(t.url).get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(Object.keys(res.body.checks)).toEqual(['database', 'redis']);
  });

  it('should report every section of the detailed health', async () => {
    const res = await request(t.url).get('/api/v1/health/detailed').expect(200);
    expect(res.body).toMatchObject({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      instance_id: 'ops-health',
      checks: { database: { status: 'up' }, redis: { status: 'up' } },
      live_stream: { enabled: false, connected: false, last_tick_at: null },
      socket_clients: 0,
    });
    expect(res.body.uptime_seconds).toBeGreaterThanOrEqual(0);
    const jobs = res.body.scheduler.jobs;
    expect(jobs.map((j: { name: string }) => j.name)).toEqual([
      'hourly',
      'daily-correlation',
      'retention',
      'audit-prune',
    ]);
    expect(jobs[0]).toMatchObject({ schedule: '0 2 * * * *', last_run: { status: 'success' } });
    expect(Date.parse(jobs[0].next_run)).toBeGreaterThan(Date.now() - 1000);
  });

  it('should call the missing instrument out and degrade, not fail', async () => {
    const res = await request(t.url).get('/api/v1/health/detailed').expect(200);
    const freshness = res.body.data_freshness;
    expect(
      freshness.instruments.map((i: { instrument: string; status: string }) => [
        i.instrument,
        i.status,
      ]),
    ).toEqual([
      ['EUR_USD', 'fresh'],
      ['GBP_USD', 'missing'],
    ]);
    expect(freshness.missing).toEqual(['GBP_USD']);
    expect(res.body.status).toBe('degraded');
    expect(res.body.reasons).toContain('no candles yet: GBP_USD');
  });

  it('should expose Prometheus metrics that parse, with route templates as labels', async () => {
    await request(t.url).get('/api/v1/sessions?at=2026-06-03T14:00:00Z').expect(200);
    await request(t.url).get('/api/v1/jobs/hourly').expect(200);
    await request(t.url).get('/api/v1/jobs?limit=0').expect(400);
    const res = await request(t.url).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const lines = res.text.split('\n').filter((l) => l.length > 0 && !l.startsWith('#'));
    expect(lines.length).toBeGreaterThan(20);
    expect(lines.filter((l) => !SAMPLE.test(l))).toEqual([]);
    expect(res.text).toMatch(
      /^http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/jobs\/:name",status="200"\} 1$/m,
    );
    expect(res.text).toMatch(/route="\/api\/v1\/sessions",status="200"/);
    expect(res.text).toMatch(/route="\/api\/v1\/jobs",status="400"/);
    expect(res.text).not.toMatch(/route="[^"]*\?/);
    expect(res.text).toMatch(/^job_runs_total\{job="hourly",status="success"\} 1$/m);
  });

  it('should not prefix /metrics with /api/v1', async () => {
    await request(t.url).get('/api/v1/metrics').expect(404);
  });

  it('should document the health, metrics, jobs and sessions routes in Swagger', async () => {
    const res = await request(t.url).get('/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/health',
        '/api/v1/health/detailed',
        '/metrics',
        '/api/v1/sessions',
      ]),
    );
    const sessions = res.body.paths['/api/v1/sessions'].get;
    expect(sessions.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['at', 'dst_aware']),
    );
  });
});

describe('DetailedHealthService with Redis unreachable', () => {
  let t: TestApp;

  beforeAll(async () => {
    // A port where nothing listens: the app must boot and answer anyway.
    const port = await freePort();
    t = await startTestApp({ REDIS_URL: `redis://127.0.0.1:${port}` }, 'ops_health_noredis');
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await t?.close();
  }, HOOK_TIMEOUT_MS);

  it('should answer degraded (200) naming Redis', async () => {
    const res = await request(t.url).get('/api/v1/health/detailed').expect(200);
    expect(res.body.status).toBe('degraded');
    expect(res.body.checks.redis.status).toBe('down');
    expect(res.body.checks.database.status).toBe('up');
    expect(res.body.reasons[0]).toMatch(/^redis down/);
    expect(res.body.scheduler.jobs).toHaveLength(4);
  });

  it('should keep /health answering 503 naming Redis', async () => {
    const res = await request(t.url).get('/health').expect(503);
    expect(res.body.down).toEqual(['redis']);
  });
});
