import { CacheWarmers } from './cache-warmers';

const signal = () => new AbortController().signal;

describe(CacheWarmers.name, () => {
  it('should run every registered warmer in order and report keys written', async () => {
    const warmers = new CacheWarmers();
    const order: string[] = [];
    warmers.register({ name: 'price', warm: async () => (order.push('price'), 20) });
    warmers.register({ name: 'metrics', warm: async () => (order.push('metrics'), 18) });
    expect(await warmers.warmAll(signal())).toEqual([
      { name: 'price', keys: 20 },
      { name: 'metrics', keys: 18 },
    ]);
    expect(order).toEqual(['price', 'metrics']);
  });

  it('should keep going when one warmer fails and report its error', async () => {
    const warmers = new CacheWarmers();
    warmers.register({
      name: 'metrics',
      warm: async () => {
        throw new Error('database unreachable');
      },
    });
    warmers.register({ name: 'price', warm: async () => 3 });
    expect(await warmers.warmAll(signal())).toEqual([
      { name: 'metrics', keys: 0, error: 'database unreachable' },
      { name: 'price', keys: 3 },
    ]);
  });

  it('should run only the named warmers, and reject unknown names listing the known ones', async () => {
    const warmers = new CacheWarmers();
    warmers.register({ name: 'price', warm: async () => 1 });
    warmers.register({ name: 'best_pairs', warm: async () => 1 });
    expect(await warmers.warmAll(signal(), ['best_pairs'])).toEqual([
      { name: 'best_pairs', keys: 1 },
    ]);
    await expect(warmers.warmAll(signal(), ['prices'])).rejects.toThrow(
      'unknown cache warmer(s): prices (known: price, best_pairs)',
    );
  });

  it('should refuse a second warmer with the same name', () => {
    const warmers = new CacheWarmers();
    warmers.register({ name: 'price', warm: async () => 1 });
    expect(() => warmers.register({ name: 'price', warm: async () => 2 })).toThrow(
      'cache warmer price registered twice',
    );
  });

  it('should not start warmers once the signal is aborted', async () => {
    const warmers = new CacheWarmers();
    let ran = false;
    warmers.register({ name: 'price', warm: async () => ((ran = true), 1) });
    const controller = new AbortController();
    controller.abort();
    expect(await warmers.warmAll(controller.signal)).toEqual([]);
    expect(ran).toBe(false);
  });
});
