import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { isReservedPath, resolveDashboardPath } from './dashboard-paths';
import { dashboardMiddleware } from './dashboard.middleware';

describe('dashboard paths', () => {
  it.each([
    '/api',
    '/api/v1/instruments',
    '/docs',
    '/docs/',
    '/docs-json',
    '/health',
    '/health/x',
    '/metrics',
    '/socket.io/',
    '/API/v1',
  ])('%s is reserved', (path) => expect(isReservedPath(path)).toBe(true));

  it.each(['/', '/chart', '/apiary', '/healthy', '/assets/index.js'])(
    '%s is not reserved',
    (path) => expect(isReservedPath(path)).toBe(false),
  );

  it('keeps files inside the bundle folder', () => {
    expect(resolveDashboardPath('/srv/web', '/assets/a.js')).toEqual({
      kind: 'file',
      file: '/srv/web/assets/a.js',
      immutable: true,
    });
    expect(resolveDashboardPath('/srv/web', '/..%2f..%2fetc/passwd.txt').kind).toBe('pass');
    expect(resolveDashboardPath('/srv/web', '/%E0%A4%A').kind).toBe('pass');
    expect(resolveDashboardPath('/srv/web', '/operations')).toEqual({ kind: 'index' });
  });
});

describe('dashboardMiddleware over HTTP', () => {
  let root: string;
  let app: express.Express;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'fxp-web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>dash</title>');
    writeFileSync(join(root, 'assets', 'app-abc.js'), 'console.log(1)');
    app = express();
    app.use(dashboardMiddleware(root));
    app.get('/api/v1/info', (_req, res) => {
      res.json({ ok: true });
    });
    app.use((_req: express.Request, res: express.Response) => {
      res.status(404).json({ statusCode: 404 });
    });
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('serves index.html at / and as the fallback of page routes, not cached', async () => {
    for (const path of ['/', '/operations/jobs']) {
      const res = await request(app).get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.text).toContain('<title>dash</title>');
    }
  });

  it('serves hashed assets with a long cache and 404s a missing one', async () => {
    const res = await request(app).get('/assets/app-abc.js').expect(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toContain('immutable');
    await request(app).get('/assets/missing.js').expect(404);
  });

  it('never swallows the API or other methods', async () => {
    await request(app).get('/api/v1/info').expect(200, { ok: true });
    const miss = await request(app).get('/api/v1/nope').expect(404);
    expect(miss.body).toEqual({ statusCode: 404 });
    await request(app).get('/health').expect(404);
    await request(app).post('/').expect(404);
  });
});
