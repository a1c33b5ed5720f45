import { createHash } from 'node:crypto';
import request from 'supertest';
import { API_KEY_PATTERN } from '../src/auth/api-key-format';
import { bearer, captureOutput, connectSocket, createKey } from './utils/auth-helpers';
import { startTestApp, TestApp } from './utils/test-app';

const METRICS_TOKEN = 'prometheus-scrape-token-for-tests';

describe('Access control over REST (AUTH_MODE=keys)', () => {
  let t: TestApp;
  let output: ReturnType<typeof captureOutput>;
  let admin: { key: string; prefix: string };
  let read: { key: string; prefix: string };
  /** Every key this file created: none may ever show up in a log line. */
  const created: string[] = [];

  beforeAll(async () => {
    output = captureOutput();
    t = await startTestApp(
      {
        AUTH_MODE: 'keys',
        RATE_LIMIT_PER_MINUTE: '600',
        METRICS_TOKEN,
        LOG_LEVEL: 'log',
        CORS_ORIGINS: 'https://app.example',
      },
      'auth_rest',
    );
    admin = await createKey(t, 'admin');
    read = await createKey(t, 'read');
    created.push(admin.key, read.key);
  });

  afterAll(async () => {
    await t?.close();
    output?.restore();
  });

  it('should answer 401 without a key or with an unknown one, in the usual error shape', async () => {
    const none = await request(t.url).get('/api/v1/sessions');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: expect.stringContaining('Authorization: Bearer'),
    });
    expect(none.headers['www-authenticate']).toContain('Bearer');
    const unknown = 'fxp_' + 'x'.repeat(32);
    const bad = await request(t.url).get('/api/v1/sessions').set(bearer(unknown));
    expect(bad.status).toBe(401);
    expect(bad.body.message).toBe('unknown or revoked API key');
    expect(JSON.stringify(bad.body)).not.toContain(unknown);
  });

  it('should accept a read key as a Bearer token or in X-API-Key', async () => {
    const viaBearer = await request(t.url).get('/api/v1/sessions').set(bearer(read.key));
    expect(viaBearer.status).toBe(200);
    const viaHeader = await request(t.url).get('/api/v1/sessions').set('X-API-Key', read.key);
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.headers['ratelimit-limit']).toBe('600');
  });

  it('should answer 403 naming the scope when a read key calls an admin route', async () => {
    for (const call of [
      request(t.url).get('/api/v1/keys'),
      request(t.url).post('/api/v1/cache/clear'),
      request(t.url).post('/api/v1/jobs/hourly/run').send({}),
    ]) {
      const res = await call.set(bearer(read.key));
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: expect.stringContaining('"admin" scope'),
      });
    }
  });

  it('should keep /health and /docs public and offer both key schemes to Swagger', async () => {
    const health = await request(t.url).get('/health');
    expect([200, 503]).toContain(health.status);
    expect((await request(t.url).get('/docs/')).status).toBe(200);
    const doc = await request(t.url).get('/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      'api-key': expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }),
    });
    expect(doc.body.security).toEqual([{ bearer: [] }, { 'api-key': [] }]);
  });

  it('should let /metrics be scraped with an admin key or METRICS_TOKEN only', async () => {
    expect((await request(t.url).get('/metrics')).status).toBe(401);
    expect((await request(t.url).get('/metrics').set(bearer(read.key))).status).toBe(403);
    expect((await request(t.url).get('/metrics').set(bearer('wrong-token'))).status).toBe(401);
    const withToken = await request(t.url).get('/metrics').set(bearer(METRICS_TOKEN));
    expect(withToken.status).toBe(200);
    const withAdmin = await request(t.url).get('/metrics').set(bearer(admin.key));
    expect(withAdmin.status).toBe(200);
    expect(withAdmin.text).toContain('# TYPE');
    for (const key of created) expect(withAdmin.text).not.toContain(key);
  });

  it('should create, list and revoke keys over REST, showing a key only when it is created', async () => {
    const made = await request(t.url)
      .post('/api/v1/keys')
      .set(bearer(admin.key))
      .send({ name: 'dashboard', scope: 'read', max_connections: 3 });
    expect(made.status).toBe(201);
    expect(made.body.key).toMatch(API_KEY_PATTERN);
    created.push(made.body.key);
    expect(made.body).toMatchObject({
      prefix: made.body.key.slice(4, 12),
      name: 'dashboard',
      scopes: ['read'],
      max_connections: 3,
      revoked_at: null,
    });

    const bad = await request(t.url)
      .post('/api/v1/keys')
      .set(bearer(admin.key))
      .send({ name: 'x', scope: 'owner' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toContain('scope must be one of: read, admin');

    const listed = await request(t.url).get('/api/v1/keys').set(bearer(admin.key));
    expect(listed.status).toBe(200);
    expect(listed.body.keys.map((k: { prefix: string }) => k.prefix)).toEqual(
      expect.arrayContaining([admin.prefix, read.prefix, made.body.prefix]),
    );
    for (const key of created) expect(listed.text).not.toContain(key);
    expect(listed.text).not.toMatch(/"hash"/);

    expect((await request(t.url).get('/api/v1/sessions').set(bearer(made.body.key))).status).toBe(
      200,
    );
    const revoked = await request(t.url)
      .delete(`/api/v1/keys/fxp_${made.body.prefix}`)
      .set(bearer(admin.key));
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).toEqual(expect.any(String));
    // Revoked on this instance: refused at once.
    expect((await request(t.url).get('/api/v1/sessions').set(bearer(made.body.key))).status).toBe(
      401,
    );
    const again = await request(t.url)
      .delete(`/api/v1/keys/${made.body.prefix}`)
      .set(bearer(admin.key));
    expect(again.status).toBe(409);
    const missing = await request(t.url).delete('/api/v1/keys/zzzzzzzz').set(bearer(admin.key));
    expect(missing.status).toBe(404);
  });

  it('should store only SHA-256 hashes and prefixes in api_keys, never a key', async () => {
    const rows = await t.dataSource.query<Array<Record<string, unknown>>>('SELECT * FROM api_keys');
    expect(rows.length).toBeGreaterThanOrEqual(created.length);
    const dump = JSON.stringify(rows);
    for (const key of created) {
      expect(dump).not.toContain(key);
      expect(dump).not.toContain(key.slice(12));
      const hash = createHash('sha256').update(key).digest('hex');
      expect(rows.some((r) => r.hash === hash && r.prefix === key.slice(4, 12))).toBe(true);
    }
  });

  it('should refuse a foreign origin: no CORS grant over REST, connect_error on Socket.IO', async () => {
    const foreign = await request(t.url)
      .options('/api/v1/sessions')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const allowed = await request(t.url)
      .options('/api/v1/sessions')
      .set('Origin', 'https://app.example')
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();

    const refused = await connectSocket(t.url, {
      token: read.key,
      origin: 'https://evil.example',
    });
    expect(refused).toMatchObject({ connected: false, code: 'forbidden_origin' });
    for (const origin of ['https://app.example', t.url]) {
      const ok = await connectSocket(t.url, { token: read.key, origin });
      expect(ok.connected).toBe(true);
      if (ok.connected) ok.socket.close();
    }
  });

  it('should never write a key to the logs', async () => {
    const logs = output.text();
    // The admin actions above were logged, with the key prefix: the capture works.
    expect(logs).toContain(`key:${admin.prefix} created key fxp_`);
    expect(logs).toContain(`key:${admin.prefix} revoked key fxp_`);
    for (const key of created) expect(logs).not.toContain(key);
  });
});
