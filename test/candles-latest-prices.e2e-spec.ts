import { CandleSeriesService, CANDLE_PARTITIONS, CandleStore } from '../src/candles';
import { CANDLES_AT_SQL } from '../src/candles/candle-series.store';
import { dropPartition, listPartitions, parsePartitionName } from '../src/platform/database';
import { makeCandle, makeCandles } from './factories/candles.factory';
import { startTestApp, TestApp } from './utils/test-app';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

const INSTRUMENTS = ['EUR_USD', 'GBP_USD', 'AUD_USD', 'USD_JPY'];

/**
 * The price fallback (latestClosePrices: each instrument's newest H1 close
 * when Redis has no live tick) on real PostgreSQL, over several monthly
 * partitions: the same answer as an aggregate over every stored candle,
 * found by reading one partition per instrument, and still right when the
 * summary it starts from is stale (a partition dropped under it).
 */
describe('CandleSeriesService.latestClosePrices', () => {
  let t: TestApp;
  let series: CandleSeriesService;

  /** The newest H1 candle per instrument straight from oanda_candles, independently of the store. */
  const expected = async (): Promise<Map<string, Record<string, string>>> => {
    const rows = await t.dataSource.query<
      Array<{ instrument: string; bid: string; ask: string; mid: string; time: Date }>
    >(
      `SELECT DISTINCT ON (instrument) instrument, close_bid::text AS bid, close_ask::text AS ask,
              close_mid::text AS mid,
              CASE WHEN complete THEN LEAST(time + interval '1 hour', updated_at) ELSE updated_at END AS time
         FROM oanda_candles WHERE granularity = 'H1' AND instrument = ANY($1)
        ORDER BY instrument, time DESC`,
      [INSTRUMENTS],
    );
    return new Map(
      rows.map((r) => [
        r.instrument,
        {
          instrument: r.instrument,
          bid: r.bid,
          ask: r.ask,
          mid: r.mid,
          time: r.time.toISOString(),
        },
      ]),
    );
  };
  const actual = async (): Promise<Map<string, Record<string, string>>> => {
    const prices = await series.latestClosePrices(INSTRUMENTS);
    return new Map([...prices].map(([k, p]) => [k, { ...p, time: p.time.toISOString() }] as const));
  };

  beforeAll(async () => {
    t = await startTestApp({}, 'latest_prices');
    series = t.app.get(CandleSeriesService);
    const store = t.app.get(CandleStore);
    // Four months apart, so the history spans partitions; the newest EUR_USD candle still forming.
    await store.upsert([
      ...makeCandles(new Date('2025-01-06T00:00:00Z'), 30, 'EUR_USD'),
      ...makeCandles(new Date('2026-03-02T00:00:00Z'), 30, 'EUR_USD'),
      makeCandle({
        instrument: 'EUR_USD',
        time: new Date('2026-03-03T06:00:00Z'),
        complete: false,
        level: 1.1,
      }),
      // A daily candle later than any H1 one: not an H1 close.
      makeCandle({
        instrument: 'EUR_USD',
        granularity: 'D',
        time: new Date('2026-04-01T00:00:00Z'),
      }),
      ...makeCandles(new Date('2024-06-03T00:00:00Z'), 10, 'GBP_USD'),
      ...makeCandles(new Date('2025-02-03T00:00:00Z'), 5, 'GBP_USD'),
      ...makeCandles(new Date('2024-06-10T00:00:00Z'), 8, 'AUD_USD'),
    ]);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('should return the newest H1 close of each instrument, as an aggregate over every candle does', async () => {
    const want = await expected();
    expect([...want.keys()].sort()).toEqual(['AUD_USD', 'EUR_USD', 'GBP_USD']);
    expect(want.get('EUR_USD')).toMatchObject({ mid: '1.10020' });
    const got = await actual();
    expect(got).toEqual(want);
    // In the order asked for; an instrument without candles is absent.
    expect([...got.keys()]).toEqual(['EUR_USD', 'GBP_USD', 'AUD_USD']);
  });

  it('should read one partition per instrument, however many months are stored', async () => {
    const partitions = await listPartitions(t.dataSource, CANDLE_PARTITIONS);
    expect(partitions.length).toBeGreaterThanOrEqual(4);
    const [newest] = await t.dataSource.query<Array<{ instruments: string[]; times: string[] }>>(
      `SELECT array_agg(instrument) AS instruments, array_agg(last_time::text) AS times
         FROM candle_summary WHERE granularity = 'H1'`,
    );
    const [{ 'QUERY PLAN': plan }] = await t.dataSource.query<
      Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>
    >(`EXPLAIN (ANALYZE, FORMAT JSON) ${CANDLES_AT_SQL}`, [newest.instruments, newest.times]);
    const scanned: string[] = [];
    const walk = (node: PlanNode): void => {
      const relation = node['Relation Name'];
      if (relation?.startsWith('oanda_candles')) scanned.push(relation);
      node.Plans?.forEach(walk);
    };
    walk(plan[0].Plan);
    // EUR_USD in March 2026, GBP_USD in February 2025, AUD_USD in June 2024: nothing else,
    // not even in the plan (a partition pruned while planning is not in it at all).
    expect(scanned.sort()).toEqual([
      'oanda_candles_p202406',
      'oanda_candles_p202502',
      'oanda_candles_p202603',
    ]);
  });

  it('should still be right when the summary is stale: a dropped partition, a hand-edited summary', async () => {
    // Retention drops whole partitions with DROP TABLE, which fires no trigger: AUD_USD's summary
    // row outlives its only candles, GBP_USD keeps its newer ones.
    await dropPartition(
      t.dataSource,
      parsePartitionName(CANDLE_PARTITIONS, 'oanda_candles_p202406')!,
    );
    await t.dataSource.query(
      `UPDATE candle_summary SET last_time = last_time + interval '1 hour' WHERE instrument = 'EUR_USD'`,
    );
    const want = await expected();
    expect([...want.keys()].sort()).toEqual(['EUR_USD', 'GBP_USD']);
    expect(await actual()).toEqual(want);
  });
});
