import { BackfillService } from '../src/ingestion/backfill.service';
import { startTestApp, TestApp } from './utils/test-app';

/**
 * Bad input built from the OpenAPI document: every operation of /docs-json,
 * every path and query parameter, gets wrong types, out-of-range and
 * impossible values, SQL fragments, 10 KB strings, unicode, empty values,
 * repeated and unknown parameters; every non-GET operation gets malformed
 * JSON bodies. Deterministic: the fixed list plus strings from a seeded
 * generator. Nothing may answer >= 500, quote more than a bounded slice of
 * its input, or change a stored row.
 */

const SEED = 20261125;
const RANDOM_VALUES_PER_PARAMETER = 12;
const CONCURRENCY = 8;
/** An echo this long of any input fails the test (errors quote at most 64 characters + '…'). */
const ECHO_WINDOW = 80;
const MAX_ERROR_BODY_BYTES = 2048;
const NOW = new Date('2026-11-18T12:34:00Z');

/** mulberry32: a tiny seeded generator, so every run sends the same requests. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LONG = 'A'.repeat(10 * 1024);

/** Values no parameter of the API accepts as they are (each route must answer them < 500). */
const FIXED_BAD_VALUES: readonly string[] = [
  // wrong types
  'abc',
  'true',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-Infinity',
  '[]',
  '{}',
  '[1,2]',
  '{"a":1}',
  // malformed and out-of-range numbers
  '0x10',
  '100.0',
  ' 100',
  '100 ',
  '1e2',
  '+5',
  '-1',
  '0',
  '-0',
  '010',
  '1.5',
  '99999999999999999999',
  '9007199254740993',
  '2147483648',
  '-2147483649',
  // impossible dates and times
  '2026-02-30',
  '2025-02-29',
  '2026-04-31',
  '0000-01-01',
  '10000-01-01',
  '2026-13-01',
  '2026-00-10',
  '1969-12-31',
  '275760-09-14',
  '-271821-04-19',
  '2026-02-30T10:00:00Z',
  '2026-03-04T24:00Z',
  '2026-03-04T10:00:60Z',
  '2026-03-04T10:00:00+24:00',
  '2026-03-04T10:00:00',
  '2026-03-04T10:00:00.1234567890Z',
  'yesterday',
  '1772618400',
  // SQL fragments
  "' OR '1'='1",
  '1; DROP TABLE oanda_candles;--',
  "EUR_USD'; DELETE FROM cron_job_log;--",
  '1 UNION SELECT NULL,NULL--',
  "2026-03-10'::date; TRUNCATE correlation_matrix;--",
  "'",
  '"',
  '\\',
  ';',
  '--',
  '/*',
  '%',
  '%00',
  // near misses of real values
  'eur_usd',
  'EUR_USD ',
  'EURUSD',
  'EUR_USDX',
  'H7',
  'h1',
  'CSV',
  'ALL',
  'hourlyy',
  '..',
  // unicode, control characters, empty
  'ＥＵＲ＿ＵＳＤ',
  '€',
  '😀'.repeat(100),
  'e\u0301',
  '\u202eDSU_RUE',
  '\u0000',
  'EUR_USD\u0000',
  '\r\nX-Injected: 1',
  '',
  // long
  LONG,
];

const MALFORMED_JSON_BODIES: readonly string[] = [
  '{',
  '{"a":',
  '[1,2',
  'nul',
  '"unterminated',
  '{"a":1}}',
  "{'a':1}",
  '{"a":NaN}',
  `{"x":"${LONG}`,
  '\u0000',
];

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  example?: unknown;
  schema?: { enum?: unknown[]; example?: unknown; default?: unknown; type?: string };
}
interface OpenApiOperation {
  parameters?: OpenApiParameter[];
}
type OpenApiDocument = { paths: Record<string, Record<string, OpenApiOperation>> };

interface Case {
  method: string;
  path: string;
  /** What the case probes, for failure messages. */
  label: string;
  /** Strings taken from the client's input that must not come back whole. */
  inputs: string[];
  body?: string;
  /** A status the rule demands, when the case tests one (unknown or repeated parameter). */
  expectStatus?: number;
}

/** A value the parameter accepts, so other parameters of a case are the only thing wrong. */
function validValue(p: OpenApiParameter): string {
  const v = p.example ?? p.schema?.example ?? p.schema?.enum?.[0] ?? p.schema?.default;
  if (typeof v === 'string') return v;
  if (v !== undefined) return JSON.stringify(v);
  if (p.name === 'instrument' || /^pair/.test(p.name)) return 'EUR_USD';
  return '1';
}

function randomString(random: () => number): string {
  const alphabets = [
    'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
    "0123456789-:TZ+.' ;=&?#/%",
    'ÄÖÜßéèçñ€£¥©®™°µ÷×ĀŒ漢字かなカナ한글Ωπ∑√∞≠≤≥',
  ];
  const alphabet = alphabets[Math.floor(random() * alphabets.length)];
  const chars = Array.from(alphabet);
  const length = 1 + Math.floor(random() * (random() < 0.1 ? 3000 : 40));
  let out = '';
  for (let i = 0; i < length; i++) out += chars[Math.floor(random() * chars.length)];
  return out;
}

function buildUrl(
  path: string,
  pathValues: Record<string, string>,
  query: Array<[string, string]>,
): string {
  const filled = path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(pathValues[name] ?? ''),
  );
  const qs = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return qs ? `${filled}?${qs}` : filled;
}

/** Every case of the document, in a fixed order. */
function buildCases(doc: OpenApiDocument): Case[] {
  const random = seededRandom(SEED);
  const cases: Case[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [methodName, operation] of Object.entries(operations)) {
      const method = methodName.toUpperCase();
      const params = (operation.parameters ?? []).filter(
        (p) => p.in === 'path' || p.in === 'query',
      );
      const pathValues = Object.fromEntries(
        params.filter((p) => p.in === 'path').map((p) => [p.name, validValue(p)]),
      );
      const requiredQuery = params
        .filter((p) => p.in === 'query' && p.required)
        .map((p): [string, string] => [p.name, validValue(p)]);
      const baseline = (except?: string): Array<[string, string]> =>
        requiredQuery.filter(([name]) => name !== except);

      if (method !== 'GET') {
        // Only bodies the JSON parser refuses before any handler runs: a fuzzed value
        // that happened to be valid must never reach a route that writes.
        for (const body of MALFORMED_JSON_BODIES)
          cases.push({
            method,
            path: buildUrl(path, pathValues, baseline()),
            label: `${method} ${path} malformed JSON body`,
            inputs: [body],
            body,
            expectStatus: 400,
          });
        continue;
      }

      for (const p of params) {
        const values = [...FIXED_BAD_VALUES];
        for (let i = 0; i < RANDOM_VALUES_PER_PARAMETER; i++) values.push(randomString(random));
        for (const value of values) {
          const url =
            p.in === 'path'
              ? buildUrl(path, { ...pathValues, [p.name]: value }, baseline())
              : buildUrl(path, pathValues, [...baseline(p.name), [p.name, value]]);
          cases.push({
            method,
            path: url,
            label: `${method} ${path} ${p.name}=${JSON.stringify(value.slice(0, 40))}`,
            inputs: [value],
          });
        }
        if (p.in === 'query') {
          const v = validValue(p);
          cases.push({
            method,
            path: buildUrl(path, pathValues, [...baseline(p.name), [p.name, v], [p.name, v]]),
            label: `${method} ${path} repeated ${p.name}`,
            inputs: [],
            expectStatus: 400,
          });
        }
      }
      for (const unknown of ['zz_unknown', "x' OR 1=1--", LONG]) {
        cases.push({
          method,
          path: buildUrl(path, pathValues, [...baseline(), [unknown, '1']]),
          label: `${method} ${path} unknown parameter ${JSON.stringify(unknown.slice(0, 20))}`,
          inputs: [unknown],
          expectStatus: 400,
        });
      }
    }
  }
  return cases;
}

/** Every string in a parsed JSON body (the decoded text a client would read). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/**
 * True when `text` holds 1.5 x ECHO_WINDOW or more consecutive characters (code
 * points, as the service counts them) of `input`: every such run contains one
 * of the windows checked.
 */
function echoesTooMuch(text: string, input: string): boolean {
  const chars = Array.from(input);
  if (chars.length < ECHO_WINDOW) return false;
  const step = ECHO_WINDOW / 2;
  for (let i = 0; i + ECHO_WINDOW <= chars.length; i += step)
    if (text.includes(chars.slice(i, i + ECHO_WINDOW).join(''))) return true;
  return false;
}

async function tableChecksums(t: TestApp): Promise<Record<string, string>> {
  const tables: Array<{ name: string }> = await t.dataSource.query(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const sums: Record<string, string> = {};
  for (const { name } of tables) {
    const [row]: Array<{ n: number; sum: string }> = await t.dataSource.query(
      `SELECT count(*)::int AS n,
              md5(coalesce(string_agg(md5(r::text), '' ORDER BY md5(r::text)), '')) AS sum
       FROM "${name}" r`,
    );
    sums[name] = `${row.n}:${row.sum}`;
  }
  return sums;
}

describe('REST bad-input fuzz from /docs-json', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ INSTRUMENTS: 'EUR_USD,GBP_USD,USD_CHF' }, 'rest_fuzz');
    // Some stored rows, so routes reach their queries and "unchanged" means something.
    const run = await t.app.get(BackfillService).run({
      instruments: ['EUR_USD', 'GBP_USD'],
      granularity: 'H1',
      days: 8,
      now: NOW,
      withHooks: true,
    });
    expect(run.job.status).toBe('success');
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('should answer every malformed request below 500, with a bounded echo, and change no stored row', async () => {
    const doc = (await (await fetch(`${t.url}/docs-json`)).json()) as OpenApiDocument;
    const cases = buildCases(doc);
    const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(operations).toBeGreaterThanOrEqual(17);
    const before = await tableChecksums(t);
    expect(Object.keys(before).length).toBeGreaterThanOrEqual(7);

    const serverErrors: string[] = [];
    const echoes: string[] = [];
    const ruleBreaks: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < cases.length) {
        const c = cases[next++];
        const res = await fetch(`${t.url}${c.path}`, {
          method: c.method,
          body: c.body,
          headers: c.body === undefined ? undefined : { 'content-type': 'application/json' },
        });
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) serverErrors.push(`${res.status} ${c.label}: ${text.slice(0, 200)}`);
        let body: unknown = undefined;
        try {
          body = JSON.parse(text);
        } catch {
          // text/csv or Prometheus text: checked as text only
        }
        const visible = [text, ...strings(body)].join('\n');
        if (c.inputs.some((input) => echoesTooMuch(visible, input)))
          echoes.push(`${c.label}: ${text.slice(0, 200)}`);
        // 431: Node's HTTP parser refuses a request line over 16 KB (percent-encoded
        // unicode) before the app sees it, with an empty body.
        if (res.status >= 400 && res.status !== 431) {
          const shape = body as { statusCode?: unknown; error?: unknown; message?: unknown };
          if (
            Buffer.byteLength(text) > MAX_ERROR_BODY_BYTES ||
            shape?.statusCode !== res.status ||
            typeof shape.error !== 'string' ||
            shape.message === undefined
          )
            ruleBreaks.push(
              `${c.label}: not a bounded {statusCode, error, message}: ${text.slice(0, 200)}`,
            );
        }
        if (c.expectStatus !== undefined && res.status !== c.expectStatus)
          ruleBreaks.push(`${c.label}: ${res.status}, expected ${c.expectStatus}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    const after = await tableChecksums(t);
    const health = await fetch(`${t.url}/health`);
    console.log(
      `REST fuzz: ${cases.length} cases over ${operations} operations; ` +
        `${serverErrors.length} responses >= 500; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    expect(serverErrors).toEqual([]);
    expect(echoes).toEqual([]);
    expect(ruleBreaks).toEqual([]);
    expect(after).toEqual(before);
    expect(health.status).toBe(200);
    expect(cases.length).toBeGreaterThan(1500);
  }, 120_000);
});
