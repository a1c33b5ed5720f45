import request from 'supertest';
import { API_KEY_PATTERN } from '../src/auth/api-key-format';
import { bearer } from './utils/auth-helpers';
import { runCli } from './utils/ops-helpers';
import { startTestApp, TestApp } from './utils/test-app';
import { waitFor } from './utils/wait-for';

/** Each CLI run boots the app context in a new process: tens of seconds on a busy machine. */
const CLI_TEST_MS = 480_000;

/** The real CLI in a child process against the database of a running app. */
describe('keys:* CLI commands', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ AUTH_MODE: 'keys' }, 'auth_cli');
  });

  afterAll(async () => {
    await t?.close();
  });

  it(
    'should create a key printed alone on the last line, list it by prefix and revoke it',
    async () => {
      const created = await runCli(
        ['keys:create', '--name', 'grafana', '--scope', 'read', '--rate-limit', '120'],
        t.env,
      );
      expect(created.code).toBe(0);
      const lines = created.stdout.trimEnd().split('\n');
      const key = lines[lines.length - 1];
      expect(key).toMatch(API_KEY_PATTERN);
      const prefix = key.slice(4, 12);
      expect(created.stderr).not.toContain(key);

      const ok = await request(t.url).get('/api/v1/sessions').set(bearer(key));
      expect(ok.status).toBe(200);
      expect(ok.headers['ratelimit-limit']).toBe('120');

      const listed = await runCli(['keys:list'], t.env);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(new RegExp(`fxp_${prefix}….*grafana.*read.*120.*active`));
      expect(listed.stdout).not.toContain(key);

      const revoked = await runCli(['keys:revoke', `fxp_${prefix}`], t.env);
      expect(revoked.code).toBe(0);
      expect(revoked.stdout).toContain(`revoked fxp_${prefix}…`);
      await waitFor(
        async () => (await request(t.url).get('/api/v1/sessions').set(bearer(key))).status === 401,
        { what: 'the app to refuse the revoked key', timeout: 5_000, interval: 100 },
      );
    },
    CLI_TEST_MS,
  );

  it(
    'should exit 1 with one clear line for a bad scope',
    async () => {
      const bad = await runCli(['keys:create', '--name', 'x', '--scope', 'owner'], t.env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('--scope must be one of: read, admin');
    },
    CLI_TEST_MS,
  );

  it(
    'should record cli as the trigger of `job run`',
    async () => {
      const run = await runCli(['job', 'run', 'audit-prune'], t.env);
      expect(run.code).toBe(0);
      const rows = await t.dataSource.query<Array<{ triggered_by: string }>>(
        `SELECT triggered_by FROM cron_job_log WHERE job_name = 'audit-prune' ORDER BY id DESC LIMIT 1`,
      );
      expect(rows).toEqual([{ triggered_by: 'cli' }]);
    },
    CLI_TEST_MS,
  );
});
