import { MemoryRateLimitStore } from './rate-limit-store';
import { MemoryConnectionSlots } from './connection-slots';

describe(MemoryRateLimitStore.name, () => {
  it('should count hits in a fixed window and start a new one when it ends', async () => {
    let now = 1_000_000;
    const store = new MemoryRateLimitStore(() => now);
    expect(await store.increment('k', 60_000)).toEqual({ hits: 1, resetMs: 60_000 });
    now += 15_000;
    expect(await store.increment('k', 60_000)).toEqual({ hits: 2, resetMs: 45_000 });
    expect(await store.increment('other', 60_000)).toEqual({ hits: 1, resetMs: 60_000 });
    now += 45_000;
    expect(await store.increment('k', 60_000)).toEqual({ hits: 1, resetMs: 60_000 });
  });
});

describe(MemoryConnectionSlots.name, () => {
  it('should hand out at most max slots per key and free them on release', async () => {
    const slots = new MemoryConnectionSlots();
    expect(await slots.acquire(1, 'a', 2)).toBe(true);
    expect(await slots.acquire(1, 'b', 2)).toBe(true);
    expect(await slots.acquire(1, 'c', 2)).toBe(false);
    expect(await slots.acquire(2, 'c', 2)).toBe(true);
    await slots.release(1, 'a');
    expect(await slots.acquire(1, 'c', 2)).toBe(true);
  });
});
