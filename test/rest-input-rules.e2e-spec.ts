import request from 'supertest';
import { runCli } from './utils/ops-helpers';
import { startTestApp, TestApp } from './utils/test-app';

/**
 * The one input rule (src/platform/validation) on every route and CLI option: strict
 * calendar dates and ISO times, plain-digit integers, unknown and repeated
 * parameters refused by name, errors quoting a bounded part of the input.
 */
describe('REST and CLI input rules', () => {
  let t: TestApp;
  /** Everything the app logs while a block runs (the stack traces item 2 was about). */
  let captured: string[] | undefined;
  const originalWrites = { out: process.stdout.write, err: process.stderr.write };

  const messages = (res: request.Response): string[] => [].concat(res.body.message);

  beforeAll(async () => {
    // The default log level, so a logged stack would show.
    t = await startTestApp({ LOG_LEVEL: 'log' }, 'input_rules');
    const capture = (stream: NodeJS.WriteStream, original: typeof stream.write) =>
      ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
        captured?.push(String(chunk));
        return (original as (c: string | Uint8Array, ...r: unknown[]) => boolean).call(
          stream,
          chunk,
          ...rest,
        );
      }) as typeof stream.write;
    process.stdout.write = capture(process.stdout, originalWrites.out);
    process.stderr.write = capture(process.stderr, originalWrites.err);
  });

  afterAll(async () => {
    process.stdout.write = originalWrites.out;
    process.stderr.write = originalWrites.err;
    await t?.close();
  });

  const DATE_FIELDS: Array<[string, string]> = [
    ['/api/v1/correlation/matrix?date=', 'date'],
    ['/api/v1/candles/EUR_USD?from=', 'from'],
    ['/api/v1/candles/EUR_USD?to=', 'to'],
    ['/api/v1/sessions?at=', 'at'],
    ['/api/v1/metrics/volatility/EUR_USD?from=', 'from'],
    ['/api/v1/metrics/volatility/EUR_USD?to=', 'to'],
  ];
  const IMPOSSIBLE = [
    '2026-02-30',
    '2025-02-29',
    '2026-04-31',
    '0000-01-01',
    '1969-12-31',
    '10000-01-01',
    '2026-13-01',
    'garbage',
  ];

  it('should answer every impossible date with 400 naming the field and log no stack', async () => {
    captured = [];
    for (const [prefix, field] of DATE_FIELDS) {
      for (const value of IMPOSSIBLE) {
        const res = await request(t.url).get(`${prefix}${encodeURIComponent(value)}`);
        expect({ value, prefix, status: res.status }).toEqual({ value, prefix, status: 400 });
        expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
        expect(messages(res)).toEqual([expect.stringMatching(new RegExp(`^${field} `))]);
      }
    }
    const logged = captured.join('');
    captured = undefined;
    expect(logged).not.toMatch(/\n\s+at /);
    expect(logged).not.toMatch(/ERROR/);
  });

  it.each([
    [
      '/api/v1/sessions?at=',
      '2026-02-30T10:00:00Z',
      /^at is not a valid calendar date-time: day 30/,
    ],
    ['/api/v1/sessions?at=', '2026-03-04T24:00Z', /^at is not a valid calendar date-time: hour 24/],
    ['/api/v1/candles/EUR_USD?from=', '2026-03-04T10:00', /^from must be an ISO-8601 date-time/],
    ['/api/v1/correlation/matrix?date=', '2024-02-30', /^date is not a valid calendar date/],
  ])('should refuse %s%s saying why', async (prefix, value, why) => {
    const res = await request(t.url)
      .get(`${prefix}${encodeURIComponent(value)}`)
      .expect(400);
    expect(messages(res)).toEqual([expect.stringMatching(why)]);
  });

  it('should accept the dates and times the rule allows', async () => {
    await request(t.url).get('/api/v1/correlation/matrix?date=2024-02-29').expect(404);
    await request(t.url)
      .get('/api/v1/candles/EUR_USD?from=2026-03-04T10:00:00%2B02:00&to=2026-03-05')
      .expect(200);
    await request(t.url).get('/api/v1/sessions?at=2026-03-09T12:30:00.5-05:00').expect(200);
    await request(t.url)
      .get('/api/v1/metrics/volatility/EUR_USD?from=2026-03-01&to=2026-03-02T00:00Z')
      .expect(200);
  });

  const INT_PARAMS: Array<[string, string]> = [
    ['/api/v1/candles/EUR_USD?', 'limit'],
    ['/api/v1/metrics/volatility/EUR_USD?', 'limit'],
    ['/api/v1/jobs?', 'limit'],
    ['/api/v1/correlation/matrix?', 'window'],
    ['/api/v1/correlation/pairs?pair1=EUR_USD&pair2=GBP_USD&', 'window'],
    ['/api/v1/correlation/pairs?pair1=EUR_USD&pair2=GBP_USD&', 'limit'],
    ['/api/v1/best-pairs?', 'limit'],
    ['/api/v1/best-pairs?', 'window'],
  ];

  it.each(INT_PARAMS)(
    'should refuse %s%s unless it is plain digits in range',
    async (prefix, field) => {
      for (const value of [
        '0x10',
        '100.0',
        ' 100',
        '1e2',
        '+5',
        '-1',
        '0',
        '99999999999999999999',
      ]) {
        const res = await request(t.url).get(`${prefix}${field}=${encodeURIComponent(value)}`);
        expect({ value, status: res.status }).toEqual({ value, status: 400 });
        expect(messages(res)).toEqual([expect.stringMatching(new RegExp(`^${field} must be `))]);
      }
    },
  );

  it('should say once what is wrong with candles limit', async () => {
    const res = await request(t.url).get('/api/v1/candles/EUR_USD?limit=abc').expect(400);
    expect(messages(res)).toEqual([
      'limit must be an integer from 1 to 5000 in plain digits, got "abc"',
    ]);
  });

  const EVERY_ROUTE = [
    '/health',
    '/metrics',
    '/api/v1/health/detailed',
    '/api/v1/info',
    '/api/v1/instruments',
    '/api/v1/prices/current?instrument=EUR_USD',
    '/api/v1/prices/all',
    '/api/v1/candles/EUR_USD',
    '/api/v1/metrics/volatility',
    '/api/v1/metrics/volatility/EUR_USD',
    '/api/v1/correlation/matrix',
    '/api/v1/correlation/pairs?pair1=EUR_USD&pair2=GBP_USD',
    '/api/v1/best-pairs',
    '/api/v1/sessions',
    '/api/v1/cache/stats',
    '/api/v1/jobs',
    '/api/v1/jobs/hourly',
  ];

  it.each(EVERY_ROUTE)(
    'should refuse an unknown query parameter on %s, naming it',
    async (path) => {
      const sep = path.includes('?') ? '&' : '?';
      const res = await request(t.url).get(`${path}${sep}colour=red`).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(messages(res)).toContain('property colour should not exist');
    },
  );

  it.each([
    ['/api/v1/candles/EUR_USD?limit=1&limit=2', 'limit must be given once'],
    ['/api/v1/jobs?status=failed&status=success', 'status must be given once'],
    ['/api/v1/sessions?at=2026-03-09&at=2026-03-10', 'at must be given once'],
    [
      '/api/v1/prices/current?instrument=EUR_USD&instrument=GBP_USD',
      'instrument must be given once',
    ],
  ])('should refuse a repeated parameter: %s', async (path, message) => {
    const res = await request(t.url).get(path).expect(400);
    expect(messages(res)).toEqual([message]);
  });

  it('should quote at most 64 characters of a long input in any error', async () => {
    const long = 'x'.repeat(10 * 1024);
    for (const [path, status] of [
      [`/api/v1/jobs/${long}`, 404],
      [`/api/v1/candles/${long}`, 400],
      [`/api/v1/jobs?${long}=1`, 400],
      [`/api/v1/info?${long}=1`, 400],
      [`/api/v1/jobs?name=${long}`, 400],
      [`/api/v1/no-such-route/${long}?q=1`, 404],
    ] as const) {
      const res = await request(t.url).get(path).expect(status);
      expect(res.body.statusCode).toBe(status);
      const text = messages(res).join('\n');
      expect(text).toMatch(/x…/);
      expect(text).not.toContain('x'.repeat(65));
    }
  });

  it('should refuse an impossible --as-of or --from on the command line with exit 2 and one line', async () => {
    const env = { ...t.env, LOG_LEVEL: 'warn' };
    const asOf = await runCli(['job', 'run', 'daily-correlation', '--as-of', '2026-02-30'], env);
    expect(asOf.code).toBe(2);
    expect(asOf.stderr.trim()).toBe(
      'error: --as-of is not a valid calendar date: day 30 does not exist in 2026-02 (28 days)',
    );
    const from = await runCli(['backfill', '--from', '2025-02-29', '--to', '2025-03-02'], env);
    expect(from.code).toBe(2);
    expect(from.stderr.trim()).toBe(
      'error: --from is not a valid calendar date-time: day 29 does not exist in 2025-02 (28 days)',
    );
    const timeout = await runCli(['job', 'run', 'hourly', '--timeout', '1e2'], env);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr.trim()).toMatch(/^error: --timeout must be an integer from 1 to 604800/);
  }, 300_000);
});
