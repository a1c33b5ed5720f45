import { createClient } from 'redis';
import { CacheKeys } from '../src/cache/cache-keys';
import { runCli } from './utils/ops-helpers';
import { startTestApp, TestApp } from './utils/test-app';
import { TEST_REDIS_URL } from './utils/test-env';

// The command classes cannot be imported here (nest-commander does not load under Jest ESM): they run in a child process.
describe('CacheWarmCommand and CacheClearCommand', () => {
  let t: TestApp;
  const redis = createClient({ url: TEST_REDIS_URL });

  beforeAll(async () => {
    t = await startTestApp({}, 'rt_cache_cli');
    await redis.connect();
    await t.dataSource.query(
      `INSERT INTO oanda_candles (instrument, time, granularity, open_bid, high_bid, low_bid, close_bid,
         open_ask, high_ask, low_ask, close_ask, open_mid, high_mid, low_mid, close_mid, volume, complete)
       VALUES ('AUD_USD', '2026-03-02T10:00:00Z', 'H1', 0.66, 0.66, 0.66, 0.6601,
               0.6603, 0.6603, 0.6603, 0.6603, 0.6602, 0.6602, 0.6602, 0.6602, 5, true)`,
    );
  });

  afterAll(async () => {
    if (redis.isOpen) await redis.close();
    await t?.close();
  });

  it('should warm price keys from the latest candles and print what it wrote', async () => {
    const run = await runCli(['cache:warm', '--only', 'price'], t.env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ warmed: [{ name: 'price', keys: 1 }] });
    const cached = await redis.get(t.app.get(CacheKeys).price('AUD_USD').key);
    expect(JSON.parse(cached ?? '{}').value).toMatchObject({ bid: 0.6601, source: 'candle' });
  }, 60_000);

  it('should exit 1 naming the warmer when asked for an unknown one', async () => {
    const run = await runCli(['cache:warm', '--only', 'prices'], t.env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/unknown cache warmer\(s\): prices/);
  }, 60_000);

  it("should clear this prefix's keys and nothing else", async () => {
    const foreign = `${t.env.REDIS_KEY_PREFIX}x:other:price:AUD_USD`;
    await redis.set(foreign, 'keep', { EX: 60 });
    try {
      const run = await runCli(['cache:clear'], t.env);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).deleted.price).toBe(1);
      expect(await redis.exists(t.app.get(CacheKeys).price('AUD_USD').key)).toBe(0);
      expect(await redis.get(foreign)).toBe('keep');
    } finally {
      await redis.del(foreign);
    }
  }, 60_000);
});
