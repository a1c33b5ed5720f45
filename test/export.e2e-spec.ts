import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import request from 'supertest';
import { ExportService } from '../src/export';
import {
  insertExportCandles,
  insertExportCorrelations,
  insertExportMetrics,
} from './factories/export-rows.factory';
import { runCli } from './utils/ops-helpers';
import { startTestApp, TestApp } from './utils/test-app';

const HOOK_TIMEOUT_MS = 90_000;
const HOUR = 3_600_000;
/** Recent history, so it lands wherever the tables keep their current partitions. */
const START = new Date(Math.floor(Date.now() / HOUR) * HOUR - 1_500 * HOUR);
const at = (hours: number): string => new Date(START.getTime() + hours * HOUR).toISOString();
const FIRST_DAY = START.toISOString().slice(0, 10);

type Row = Record<string, string | number | boolean | Date | null>;

/** supertest parser that keeps the body as bytes (Parquet). */
function binary(res: request.Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

const arrayBuffer = (b: Buffer): ArrayBuffer =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** RFC 4180 is not needed here: no exported field holds a comma or a quote. */
function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const lines = text.split('\n');
  expect(lines.pop()).toBe('');
  const [header, ...rows] = lines.map((l) => l.split(','));
  return { header, rows };
}

/** A DB value as the CSV writes it. */
const csvCell = (v: string | number | boolean | Date | null): string =>
  v === null ? '' : v instanceof Date ? v.toISOString() : String(v);

describe(ExportService.name, () => {
  let t: TestApp;
  let candles: Row[];
  let metrics: Row[];
  let correlations: Row[];

  beforeAll(async () => {
    t = await startTestApp(
      { INSTRUMENTS: 'EUR_USD,GBP_USD,USD_JPY', CORRELATION_WINDOWS: '30,100' },
      'export',
    );
    await insertExportCandles(t.dataSource, ['EUR_USD', 'GBP_USD', 'USD_JPY'], START, 1_200);
    await insertExportMetrics(t.dataSource, ['EUR_USD', 'GBP_USD'], START, 300);
    await insertExportCorrelations(
      t.dataSource,
      ['EUR_USD', 'GBP_USD', 'USD_JPY'],
      FIRST_DAY,
      20,
      [30, 100],
    );
    // What the exports below must contain, straight from the tables, in export order.
    candles = await t.dataSource.query(
      `SELECT instrument, time, granularity,
              open_bid::text, high_bid::text, low_bid::text, close_bid::text,
              open_ask::text, high_ask::text, low_ask::text, close_ask::text,
              open_mid::text, high_mid::text, low_mid::text, close_mid::text, volume, complete
         FROM oanda_candles WHERE instrument IN ('GBP_USD', 'EUR_USD') AND time BETWEEN $1 AND $2
        ORDER BY array_position(ARRAY['GBP_USD','EUR_USD'], instrument::text), time`,
      [at(100), at(1_000)],
    );
    metrics = await t.dataSource.query(
      `SELECT * FROM volatility_metrics ORDER BY instrument, time`,
    );
    correlations = await t.dataSource.query(
      `SELECT time::text AS time, window_size, pair1, pair2, correlation, sample_size, calculated_at
         FROM correlation_matrix WHERE window_size = 100 AND pair1 <> 'USD_JPY' AND pair2 <> 'USD_JPY'
        ORDER BY time, window_size, pair1, pair2`,
    );
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await t?.close();
  }, HOOK_TIMEOUT_MS);

  const candlesUrl = (format: string): string =>
    `/api/v1/export/candles?instruments=GBP_USD,EUR_USD&from=${at(100)}&to=${at(1_000)}&format=${format}`;

  it('should stream candles as CSV that matches the table row for row, exact decimals included', async () => {
    const res = await request(t.url).get(candlesUrl('csv')).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const day = (h: number): string => at(h).slice(0, 10).replaceAll('-', '');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="fx_candles_H1_${day(100)}-${day(1_000)}.csv"`,
    );
    const { header, rows } = parseCsv(res.text);
    expect(header).toEqual(Object.keys(candles[0]));
    expect(candles).toHaveLength(2 * 901);
    expect(rows).toEqual(candles.map((c) => header.map((h) => csvCell(c[h]))));
  });

  it('should stream candles as Parquet that reads back row for row', async () => {
    const res = await request(t.url)
      .get(candlesUrl('parquet'))
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.apache.parquet');
    expect(res.headers['content-disposition']).toMatch(
      /filename="fx_candles_H1_\d{8}-\d{8}\.parquet"$/,
    );
    const back = await parquetReadObjects({ file: arrayBuffer(res.body as Buffer) });
    expect(back).toHaveLength(candles.length);
    // Times as epoch ms, prices as the double nearest the stored decimal, the rest as stored.
    const plain = (row: Row, fromDb: boolean): unknown[] =>
      Object.keys(candles[0]).map((k) => {
        const v = row[k];
        if (v instanceof Date) return v.getTime();
        return fromDb && /_(bid|ask|mid)$/.test(k) ? Number(v) : v;
      });
    expect(back.map((r) => plain(r, false))).toEqual(candles.map((c) => plain(c, true)));
  });

  it('should export metrics with their NULLs, in CSV and Parquet alike', async () => {
    const csv = await request(t.url)
      .get('/api/v1/export/metrics?instruments=EUR_USD,GBP_USD')
      .expect(200);
    const { header, rows } = parseCsv(csv.text);
    expect(header.slice(0, 3)).toEqual(['instrument', 'time', 'volatility_20']);
    expect(rows).toEqual(metrics.map((m) => header.map((h) => csvCell(m[h]))));
    expect(rows.filter((r) => r[header.indexOf('sma_50')] === '')).toHaveLength(2 * 49);

    const pq = await request(t.url)
      .get('/api/v1/export/metrics?instruments=EUR_USD,GBP_USD&format=parquet')
      .buffer(true)
      .parse(binary)
      .expect(200);
    const back = await parquetReadObjects({ file: arrayBuffer(pq.body as Buffer) });
    expect(back).toHaveLength(metrics.length);
    const plain = (row: Row): unknown[] =>
      header.map((h) => {
        const v = row[h];
        return v instanceof Date ? v.getTime() : v;
      });
    expect(back.map(plain)).toEqual(metrics.map(plain));
  });

  it('should export the correlations of one window between the listed instruments', async () => {
    const query = 'instruments=EUR_USD,GBP_USD&window=100';
    const csv = await request(t.url).get(`/api/v1/export/correlations?${query}`).expect(200);
    expect(csv.headers['content-disposition']).toBe(
      'attachment; filename="fx_correlations_w100_start-end.csv"',
    );
    const { header, rows } = parseCsv(csv.text);
    expect(header).toEqual([
      'time',
      'window_size',
      'pair1',
      'pair2',
      'correlation',
      'sample_size',
      'calculated_at',
    ]);
    expect(correlations).toHaveLength(20);
    expect(rows).toEqual(correlations.map((c) => header.map((h) => csvCell(c[h]))));

    const pq = await request(t.url)
      .get(`/api/v1/export/correlations?${query}&format=parquet`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const back = await parquetReadObjects({ file: arrayBuffer(pq.body as Buffer) });
    expect(
      back.map((r) => [
        (r.time as Date).toISOString().slice(0, 10),
        r.window_size,
        r.pair1,
        r.pair2,
        r.correlation,
        r.sample_size,
        (r.calculated_at as Date).getTime(),
      ]),
    ).toEqual(
      correlations.map((c) => [
        c.time,
        c.window_size,
        c.pair1,
        c.pair2,
        c.correlation,
        c.sample_size,
        (c.calculated_at as Date).getTime(),
      ]),
    );
  });

  it('should keep the correlation range to whole days within from..to', async () => {
    const day = (d: number): string =>
      new Date(Date.parse(`${FIRST_DAY}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
    const res = await request(t.url)
      .get(`/api/v1/export/correlations?window=30&from=${day(2)}T06:00:00Z&to=${day(4)}T23:00:00Z`)
      .expect(200);
    const days = [...new Set(parseCsv(res.text).rows.map((r) => r[0]))];
    expect(days).toEqual([day(3), day(4)]);
  });

  it('should answer an empty range with just the header', async () => {
    const res = await request(t.url)
      .get('/api/v1/export/candles?from=2000-01-01&to=2000-01-02')
      .expect(200);
    expect(res.text).toBe(
      'instrument,time,granularity,open_bid,high_bid,low_bid,close_bid,open_ask,high_ask,low_ask,close_ask,open_mid,high_mid,low_mid,close_mid,volume,complete\n',
    );
  });

  it.each([
    ['/api/v1/export/candles?window=100', 'property window should not exist'],
    ['/api/v1/export/metrics?granularity=H1', 'property granularity should not exist'],
    ['/api/v1/export/candles?format=xlsx', 'format must be one of csv, parquet, got "xlsx"'],
    [
      '/api/v1/export/candles?from=2026-13-01',
      'from is not a valid calendar date-time: month 13 does not exist',
    ],
    ['/api/v1/export/candles?from=2026-03-02&to=2026-03-01', 'from must not be after to'],
    [
      '/api/v1/export/candles?instruments=EUR_SEK',
      'instruments: EUR_SEK is not tracked; tracked instruments: EUR_USD,GBP_USD,USD_JPY',
    ],
    ['/api/v1/export/correlations?window=50', 'window must be one of 30, 100'],
    [
      '/api/v1/export/correlations?window=abc',
      'window must be an integer from 2 to 100000 in plain digits, got "abc"',
    ],
    ['/api/v1/export/candles?limit=5', 'property limit should not exist'],
  ])('should answer 400 naming the field: %s', async (url, message) => {
    const res = await request(t.url).get(url).expect(400);
    expect([res.body.message].flat()).toContain(message);
  });

  it('should read the database only as fast as the consumer reads, in bounded batches', async () => {
    const exports = t.app.get(ExportService);
    const req = exports.resolve(
      'candles',
      { instruments: 'EUR_USD,GBP_USD,USD_JPY', format: 'parquet' },
      '',
    );
    const batches: number[] = [];
    const opened = await exports.open(req, {
      batchSize: 100,
      rowGroupRows: 500,
      onBatch: (n) => batches.push(n),
    });
    const chunks: Buffer[] = [];
    const iterator = opened.stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    chunks.push(first.value as Buffer);
    // 3 x 1200 rows in batches of 100 is 36 reads; the first row group needs 5 of them, and the
    // stream's small byte buffer may pull a few more, but nowhere near all of them.
    const readBeforeConsuming = batches.length;
    expect(readBeforeConsuming).toBeGreaterThanOrEqual(5);
    expect(readBeforeConsuming).toBeLessThan(20);
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      chunks.push(next.value as Buffer);
    expect(batches).toHaveLength(36);
    expect(Math.max(...batches)).toBe(100);
    const file = arrayBuffer(Buffer.concat(chunks));
    const meta = parquetMetadata(file);
    expect(Number(meta.num_rows)).toBe(3_600);
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([...Array(7).fill(500), 100]);
  });

  it('should document the three export routes in Swagger', async () => {
    const res = await request(t.url).get('/docs-json').expect(200);
    for (const kind of ['candles', 'metrics', 'correlations']) {
      const op = res.body.paths[`/api/v1/export/${kind}`]?.get;
      expect(op?.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(['instruments', 'from', 'to', 'format']),
      );
    }
  });

  describe('CLI export', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fx-export-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('should write a Parquet file (format from the extension) that matches the table', async () => {
      const out = join(dir, 'eurusd.parquet');
      const run = await runCli(
        [
          'export',
          'candles',
          '--instruments',
          'GBP_USD,EUR_USD',
          '--from',
          at(100),
          '--to',
          at(1_000),
          '--out',
          out,
        ],
        { ...t.env, LOG_LEVEL: 'warn' },
      );
      expect(run.stderr).toBe(`exported ${candles.length} candles row(s) as parquet to ${out}\n`);
      expect(run.code).toBe(0);
      expect(existsSync(`${out}.partial`)).toBe(false);
      const back = await parquetReadObjects({ file: arrayBuffer(readFileSync(out)) });
      expect(back.map((r) => [r.instrument, (r.time as Date).getTime(), r.close_mid])).toEqual(
        candles.map((c) => [c.instrument, (c.time as Date).getTime(), Number(c.close_mid)]),
      );
    }, 120_000);

    it('should refuse a bad option with exit code 2 naming it, writing nothing', async () => {
      const out = join(dir, 'bad.csv');
      const run = await runCli(['export', 'metrics', '--window', '100', '--out', out], {
        ...t.env,
        LOG_LEVEL: 'warn',
      });
      expect(run.stderr).toBe('error: --window does not apply to a metrics export\n');
      expect(run.code).toBe(2);
      expect(existsSync(out)).toBe(false);
    }, 120_000);
  });
});
