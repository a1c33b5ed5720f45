import type { PriceUpdateEvent } from '../platform/pubsub';
import { batchFor, batchGroupRoom, groupRoomPairs, PriceConflator } from './price-batching';

const tick = (instrument: string, bid: number): PriceUpdateEvent => ({
  instrument,
  price: { bid, ask: bid, mid: bid, time: '2026-01-05T10:00:00.000Z' },
  timestamp: '2026-01-05T10:00:00.000Z',
});

describe('price batching', () => {
  it('should name one group room per pair-set, whatever the order, and read the pairs back', () => {
    expect(batchGroupRoom(['GBP_USD', 'EUR_USD'])).toBe(batchGroupRoom(['EUR_USD', 'GBP_USD']));
    expect(groupRoomPairs(batchGroupRoom(['GBP_USD', 'EUR_USD']))).toEqual(['EUR_USD', 'GBP_USD']);
    expect(groupRoomPairs('price_EUR_USD')).toBeNull();
    expect(groupRoomPairs('batch')).toBeNull();
  });

  it('should pick the burst prices of a group in its pair order, skipping pairs that did not tick', () => {
    const latest = new Map([
      ['GBP_USD', tick('GBP_USD', 1.27)],
      ['USD_JPY', tick('USD_JPY', 150)],
    ]);
    expect(batchFor(['EUR_USD', 'GBP_USD'], latest).map((p) => p.instrument)).toEqual(['GBP_USD']);
    expect(batchFor(['AUD_USD'], latest)).toEqual([]);
  });

  it('should flush once per burst with only the newest price per instrument', () => {
    const flushed: Array<Map<string, number>> = [];
    let scheduled: (() => void) | undefined;
    const conflator = new PriceConflator(
      (latest) =>
        flushed.push(new Map([...latest].map(([i, p]) => [i, p.price.bid] as [string, number]))),
      (drain) => void (scheduled = drain),
    );
    conflator.offer(tick('EUR_USD', 1.1));
    conflator.offer(tick('GBP_USD', 1.27));
    conflator.offer(tick('EUR_USD', 1.2));
    expect(flushed).toEqual([]);
    scheduled?.();
    expect(flushed).toEqual([
      new Map([
        ['EUR_USD', 1.2],
        ['GBP_USD', 1.27],
      ]),
    ]);
    expect(conflator.stats).toEqual({ bursts: 1, superseded: 1 });
    scheduled?.();
    expect(flushed).toHaveLength(1);
  });
});
