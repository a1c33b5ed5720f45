import { TtlCache } from './ttl-cache';

describe(TtlCache.name, () => {
  it('should load once within the TTL and again after it', async () => {
    let now = 1_000;
    let loads = 0;
    const cache = new TtlCache(
      100,
      async () => {
        loads += 1;
        return loads;
      },
      () => now,
    );
    expect(await cache.get()).toBe(1);
    now += 99;
    expect(await cache.get()).toBe(1);
    now += 1;
    expect(await cache.get()).toBe(2);
    expect(loads).toBe(2);
  });

  it('should share one in-flight load between concurrent callers', async () => {
    let loads = 0;
    let release: (v: string) => void = () => undefined;
    const cache = new TtlCache(1_000, () => {
      loads += 1;
      return new Promise<string>((resolve) => (release = resolve));
    });
    const both = Promise.all([cache.get(), cache.get()]);
    release('x');
    expect(await both).toEqual(['x', 'x']);
    expect(loads).toBe(1);
  });

  it('should not keep a failed load', async () => {
    let fail = true;
    const cache = new TtlCache(1_000, async () => {
      if (fail) throw new Error('db down');
      return 'ok';
    });
    await expect(cache.get()).rejects.toThrow('db down');
    fail = false;
    expect(await cache.get()).toBe('ok');
  });
});
