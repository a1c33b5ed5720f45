import { PermanentProviderError } from '../market-data-provider.interface';
import { parseCandlesResponse, planCandleRequest } from './oanda-candles';
import { toStreamEvent } from './oanda-price-stream';
import { formatOandaTime, parseOandaTime } from './oanda-time';
import { ndjsonLines } from './ndjson';

const HOUR = 3_600_000;

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? new TextEncoder().encode(part) : part;
}

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('OANDA time format', () => {
  it('should parse RFC3339 with nanoseconds, offsets and UNIX seconds to the same UTC instant', () => {
    const expected = Date.UTC(2016, 9, 17, 15, 0, 0);
    expect(parseOandaTime('2016-10-17T15:00:00.000000000Z').getTime()).toBe(expected);
    expect(parseOandaTime('2016-10-17T15:00:00Z').getTime()).toBe(expected);
    expect(parseOandaTime('2016-10-17T11:00:00.000000000-04:00').getTime()).toBe(expected);
    expect(parseOandaTime('1476716400.000000000').getTime()).toBe(expected);
    expect(parseOandaTime('2016-10-17T15:00:00.123456789Z').getTime()).toBe(expected + 123);
    expect(parseOandaTime('1476716400.987654321').getTime()).toBe(expected + 987);
  });

  it('should reject malformed and impossible times', () => {
    expect(() => parseOandaTime('2016-02-31T00:00:00Z')).toThrow(/not a valid date/);
    expect(() => parseOandaTime('yesterday')).toThrow(/not RFC3339 or UNIX/);
    expect(() => parseOandaTime(12)).toThrow(/not a string/);
  });

  it('should format times the way OANDA writes them', () => {
    expect(formatOandaTime(new Date(Date.UTC(2016, 9, 17, 15)))).toBe(
      '2016-10-17T15:00:00.000000000Z',
    );
  });
});

describe('planCandleRequest', () => {
  const now = Date.parse('2026-11-20T12:00:00Z');

  it('should use a from/to window of 4999 periods for history and never send count with it', () => {
    const cursor = Date.parse('2024-01-01T00:00:00Z');
    const plan = planCandleRequest('H1', { cursor, includeFirst: true }, now, now);
    expect(plan.query).toEqual({
      price: 'MBA',
      granularity: 'H1',
      from: '2024-01-01T00:00:00.000000000Z',
      to: formatOandaTime(new Date(cursor + 4999 * HOUR)),
      includeFirst: 'true',
    });
    expect(plan.windowEnd).toBe(cursor + 4999 * HOUR);
  });

  it('should stop the window at `to`', () => {
    const cursor = Date.parse('2024-01-01T00:00:00Z');
    const plan = planCandleRequest('M5', { cursor, includeFirst: true }, cursor + 10 * HOUR, now);
    expect(plan.windowEnd).toBe(cursor + 10 * HOUR);
  });

  it('should use count=5000 without `to` when the range reaches the present', () => {
    const plan = planCandleRequest(
      'H1',
      { cursor: now - 50 * HOUR, includeFirst: false },
      now,
      now,
    );
    expect(plan.windowEnd).toBeUndefined();
    expect(plan.query.count).toBe('5000');
    expect(plan.query.to).toBeUndefined();
    expect(plan.query.includeFirst).toBe('false');
  });
});

describe('parseCandlesResponse', () => {
  const wire = {
    instrument: 'EUR_USD',
    granularity: 'H1',
    candles: [
      {
        time: '2016-10-17T15:00:00.000000000Z',
        volume: 1234,
        complete: false,
        mid: { o: '1.100015', h: '1.10200', l: '1.09900', c: '1.10100' },
        bid: { o: '1.10001', h: '1.10190', l: '1.09890', c: '1.10090' },
        ask: { o: '1.10002', h: '1.10210', l: '1.09910', c: '1.10110' },
      },
    ],
  };

  it('should keep prices as strings, parse times, pass incomplete candles through', () => {
    const [candle] = parseCandlesResponse(wire, 'EUR_USD', 'H1');
    expect(candle).toEqual({
      instrument: 'EUR_USD',
      granularity: 'H1',
      time: new Date('2016-10-17T15:00:00Z'),
      mid: wire.candles[0].mid,
      bid: wire.candles[0].bid,
      ask: wire.candles[0].ask,
      volume: 1234,
      complete: false,
    });
  });

  it('should reject a body without candles or with a non-decimal price as a permanent error', () => {
    expect(() => parseCandlesResponse({}, 'EUR_USD', 'H1')).toThrow(PermanentProviderError);
    const bad = structuredClone(wire);
    bad.candles[0].bid.h = '1,1';
    expect(() => parseCandlesResponse(bad, 'EUR_USD', 'H1')).toThrow(
      /bid.h is not a decimal string/,
    );
  });
});

describe('pricing stream messages', () => {
  it('should turn PRICE into a tick with the exact mid and HEARTBEAT into a heartbeat', () => {
    expect(
      toStreamEvent({
        type: 'PRICE',
        instrument: 'USD_JPY',
        time: '2016-10-17T15:00:00.123456789Z',
        bids: [{ price: '150.201', liquidity: 1000000 }],
        asks: [{ price: '150.214', liquidity: 1000000 }],
        closeoutBid: '150.199',
        closeoutAsk: '150.216',
        status: 'tradeable',
        tradeable: true,
      }),
    ).toEqual({
      type: 'price',
      tick: {
        instrument: 'USD_JPY',
        time: new Date(Date.UTC(2016, 9, 17, 15, 0, 0, 123)),
        bid: '150.201',
        ask: '150.214',
        mid: '150.2075',
        tradeable: true,
      },
    });
    expect(toStreamEvent({ type: 'HEARTBEAT', time: '2016-10-17T15:00:05.000000000Z' })).toEqual({
      type: 'heartbeat',
      time: new Date('2016-10-17T15:00:05Z'),
    });
    expect(
      toStreamEvent({
        type: 'PRICE',
        instrument: 'EUR_USD',
        time: '1476716400',
        bids: [],
        asks: [],
      }),
    ).toBeUndefined();
    expect(toStreamEvent({ type: 'SOMETHING_NEW' })).toBeUndefined();
  });

  it('should reassemble NDJSON lines split across chunks and multi-byte characters', async () => {
    const euro = new TextEncoder().encode('{"x":"€"}\n');
    const values = await all(
      ndjsonLines(
        chunks('{"a":', '1}\n{"b"', ':2}\n\n', euro.slice(0, 7), euro.slice(7), '{"c":3}'),
      ),
    );
    expect(values).toEqual([{ a: 1 }, { b: 2 }, { x: '€' }, { c: 3 }]);
  });

  it('should skip a malformed line and report it without stopping', async () => {
    const bad: string[] = [];
    const values = await all(
      ndjsonLines(chunks('{"a":1}\nnot json\n{"b":2}\n'), (line) => bad.push(line)),
    );
    expect(values).toEqual([{ a: 1 }, { b: 2 }]);
    expect(bad).toEqual(['not json']);
  });
});
