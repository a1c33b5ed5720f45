import { TickerStore } from './ticker-store';
import type { PriceUpdateEvent } from './types';

const tick = (instrument: string, mid: number, time: string): PriceUpdateEvent => ({
  instrument,
  price: { bid: mid - 0.00005, ask: mid + 0.00005, mid, time },
  timestamp: time,
});

describe('TickerStore', () => {
  beforeAll(() => {
    // Node has no animation frames; the store only needs "later".
    (globalThis as { requestAnimationFrame?: (cb: () => void) => void }).requestAnimationFrame = (
      cb,
    ) => setTimeout(cb, 0);
  });

  it('applies ticks, tracks direction, drops out-of-order ones and notifies once per burst', async () => {
    const store = new TickerStore();
    let notified = 0;
    store.subscribe(() => notified++);
    store.seed('EUR_USD', [1.1, 1.2], 1.2);
    store.apply([tick('EUR_USD', 1.3, '2026-03-04T10:00:01Z')]);
    store.apply([
      tick('EUR_USD', 1.25, '2026-03-04T10:00:02Z'),
      tick('EUR_USD', 1.0, '2026-03-04T10:00:00Z'),
    ]);
    const row = store.rows.get('EUR_USD')!;
    expect(row.mid).toBe(1.25);
    expect(row.direction).toBe(-1);
    expect(row.changes).toBe(2);
    expect(row.previousClose).toBe(1.2);
    expect(row.spark).toEqual([1.1, 1.2, 1.3, 1.25]);
    await new Promise((r) => setTimeout(r, 150));
    expect(notified).toBe(1);
  });
});
