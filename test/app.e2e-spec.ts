import request from 'supertest';
import { startTestApp, TestApp } from './utils/test-app';

describe('Application', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({}, 'app');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('should answer /health with 200 when PostgreSQL and Redis are up', async () => {
    const res = await request(t.url).get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.checks.database.status).toBe('up');
    expect(res.body.checks.redis.status).toBe('up');
  });

  it('should serve the OpenAPI document with title, version and description', async () => {
    const res = await request(t.url).get('/docs-json').expect(200);
    expect(res.body.info.title).toBe('FX Data Pipeline');
    expect(res.body.info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(res.body.info.description.length).toBeGreaterThan(20);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/health', '/api/v1/info']),
    );
  });

  it('should serve Swagger UI at /docs', async () => {
    const res = await request(t.url).get('/docs').redirects(1).expect(200);
    expect(res.text).toMatch(/swagger/i);
  });

  it('should describe the instance at /api/v1/info without secrets', async () => {
    const res = await request(t.url).get('/api/v1/info').expect(200);
    expect(res.body.provider).toBe('simulated');
    expect(res.body.instruments).toHaveLength(20);
    expect(JSON.stringify(res.body)).not.toMatch(/postgres:\/\/|redis:\/\//);
  });

  it('should have migrated its fresh database at boot', async () => {
    const rows = await t.dataSource.query(`SELECT count(*)::int AS n FROM market_sessions`);
    expect(rows[0].n).toBe(4);
  });
});
