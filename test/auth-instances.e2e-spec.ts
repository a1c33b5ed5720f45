import request from 'supertest';
import { ensureFirstKey } from '../src/auth/first-key';
import { API_KEY_PATTERN } from '../src/auth/api-key-format';
import { bearer, connectSocket, createKey } from './utils/auth-helpers';
import {} from './utils/ops-helpers';
import { startTestApp, TestApp } from './utils/test-app';
import { waitFor } from './utils/wait-for';

/** Two instances on one database and one Redis prefix, as in a scaled deployment. */
describe('Access control across two instances', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await startTestApp({ AUTH_MODE: 'keys' }, 'auth_multi');
    b = await startTestApp(
      {
        AUTH_MODE: 'keys',
        DATABASE_URL: a.env.DATABASE_URL,
        REDIS_KEY_PREFIX: a.env.REDIS_KEY_PREFIX,
      },
      'auth_multi',
    );
  });

  afterAll(async () => {
    await b?.close({ keepDatabase: true });
    await a?.close();
  });

  it('should create exactly one first admin key when both instances boot on an empty table', async () => {
    const printed: string[] = [];
    const results = await Promise.all([
      ensureFirstKey(a.app, 'http://localhost:3000', (text) => printed.push(text)),
      ensureFirstKey(b.app, 'http://localhost:3000', (text) => printed.push(text)),
    ]);
    const keys = results.filter((k): k is string => k !== null);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(API_KEY_PATTERN);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain(`http://localhost:3000/#key=${keys[0]}`);
    const rows = await a.dataSource.query<Array<{ scopes: string[] }>>(
      'SELECT scopes FROM api_keys',
    );
    expect(rows).toEqual([{ scopes: ['read', 'admin'] }]);
    // A later boot finds the key and prints nothing.
    expect(await ensureFirstKey(a.app, 'http://x', (text) => printed.push(text))).toBeNull();
    expect(printed).toHaveLength(1);
    // It is an ordinary admin key.
    expect((await request(b.url).get('/api/v1/keys').set(bearer(keys[0]))).status).toBe(200);
  });

  it('should refuse a socket without a token and accept one with a valid key', async () => {
    const none = await connectSocket(b.url);
    expect(none).toMatchObject({ connected: false, code: 'unauthorized' });
    const bad = await connectSocket(b.url, { token: 'fxp_' + 'y'.repeat(32) });
    expect(bad).toMatchObject({ connected: false, code: 'unauthorized' });
    const { key } = await createKey(a, 'read');
    const ok = await connectSocket(b.url, { token: key });
    expect(ok.connected).toBe(true);
    if (ok.connected) ok.socket.close();
  });

  it('should stop a revoked key on the other instance within 5 s, REST and open sockets', async () => {
    const admin = await createKey(a, 'admin');
    const victim = await createKey(a, 'read');
    // Instance b has verified (and cached) the key, and holds a socket of it.
    expect((await request(b.url).get('/api/v1/sessions').set(bearer(victim.key))).status).toBe(200);
    const open = await connectSocket(b.url, { token: victim.key });
    if (!open.connected) throw new Error(`socket refused: ${open.message}`);
    const reason = new Promise<{ code: string; message: string }>((resolve) =>
      open.socket.once('error', resolve),
    );
    const gone = new Promise<string>((resolve) => open.socket.once('disconnect', resolve));

    const started = Date.now();
    const revoked = await request(a.url)
      .delete(`/api/v1/keys/${victim.prefix}`)
      .set(bearer(admin.key));
    expect(revoked.status).toBe(200);
    await waitFor(
      async () =>
        (await request(b.url).get('/api/v1/sessions').set(bearer(victim.key))).status === 401,
      { what: 'the revoked key to be refused on instance b', timeout: 10_000, interval: 50 },
    );
    const restMs = Date.now() - started;
    expect(restMs).toBeLessThan(5_000);
    expect(await reason).toEqual({
      code: 'key_revoked',
      message: `API key fxp_${victim.prefix}… was revoked; disconnecting`,
    });
    await gone;
    expect(Date.now() - started).toBeLessThan(5_000);
    const again = await connectSocket(b.url, { token: victim.key });
    expect(again).toMatchObject({ connected: false, code: 'unauthorized' });
  });

  it('should count connections per key across instances and refuse one over the limit', async () => {
    const { key } = await createKey(a, 'read', { maxConnections: 2 });
    const first = await connectSocket(a.url, { token: key });
    const second = await connectSocket(b.url, { token: key });
    expect(first.connected && second.connected).toBe(true);
    const third = await connectSocket(a.url, { token: key });
    expect(third).toMatchObject({ connected: false, code: 'max_connections' });
    if (third.connected) throw new Error('unreachable');
    expect(third.message).toContain('already has 2 open connections');
    expect(third.message).not.toContain(key);
    // Closing one frees its slot for the next handshake, on either instance.
    if (second.connected) second.socket.close();
    const retry = await waitFor(
      async () => {
        const attempt = await connectSocket(b.url, { token: key });
        return attempt.connected ? attempt : null;
      },
      { what: 'a freed connection slot' },
    );
    retry.socket.close();
    if (first.connected) first.socket.close();
  });

  it('should share one rate limit between instances: 429 with Retry-After past it', async () => {
    const { key } = await createKey(a, 'read', { rateLimitPerMinute: 6 });
    const remaining: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const target = i % 2 === 0 ? a.url : b.url;
      const res = await request(target).get('/api/v1/sessions').set(bearer(key));
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe('6');
      remaining.push(res.headers['ratelimit-remaining']);
      expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThan(0);
    }
    expect(remaining).toEqual(['5', '4', '3', '2', '1', '0']);
    for (const target of [a.url, b.url]) {
      const limited = await request(target).get('/api/v1/sessions').set(bearer(key));
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(limited.body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: expect.stringContaining('rate limit of 6 requests per minute'),
      });
    }
    // Another key has its own budget.
    const other = await createKey(a, 'read');
    expect((await request(b.url).get('/api/v1/sessions').set(bearer(other.key))).status).toBe(200);
  });

  it('should count a concurrent burst on both instances exactly: only the limit passes', async () => {
    const { key } = await createKey(a, 'read', { rateLimitPerMinute: 15 });
    const burst = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        request(i % 2 ? a.url : b.url)
          .get('/api/v1/sessions')
          .set(bearer(key)),
      ),
    );
    const passed = burst.filter((r) => r.status === 200);
    expect(passed).toHaveLength(15);
    expect(burst.filter((r) => r.status === 429)).toHaveLength(9);
    // Each request that passed got its own place in the window.
    expect(
      passed.map((r) => Number(r.headers['ratelimit-remaining'])).sort((x, y) => x - y),
    ).toEqual(Array.from({ length: 15 }, (_, i) => i));
  });
});
