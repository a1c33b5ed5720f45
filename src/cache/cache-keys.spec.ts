import { AppConfig } from '../platform/config';
import { CacheKeys } from './cache-keys';

const keysWith = (env: Record<string, string>) => new CacheKeys(AppConfig.fromEnv(env));

describe(CacheKeys.name, () => {
  it('should prefix every key and use the configured TTLs', () => {
    const keys = keysWith({ REDIS_KEY_PREFIX: 'fx:', CACHE_TTL_PRICE: '30' });
    expect(keys.price('EUR_USD')).toEqual({ key: 'fx:price:EUR_USD', ttl: 30 });
    expect(keys.metrics('EUR_USD')).toEqual({ key: 'fx:metrics:EUR_USD', ttl: 3600 });
    expect(keys.correlationMatrix(100)).toEqual({ key: 'fx:correlation_matrix:100', ttl: 86400 });
    expect(keys.bestPairs()).toEqual({ key: 'fx:best_pairs', ttl: 86400 });
  });

  it('should name the kind of each key it builds, and "other" for foreign keys', () => {
    const keys = keysWith({ REDIS_KEY_PREFIX: 'fx:' });
    expect(keys.kindOf(keys.price('USD_JPY').key)).toBe('price');
    expect(keys.kindOf(keys.metrics('USD_JPY').key)).toBe('metrics');
    expect(keys.kindOf(keys.correlationMatrix(200).key)).toBe('correlation_matrix');
    expect(keys.kindOf(keys.bestPairs().key)).toBe('best_pairs');
    expect(keys.kindOf('price:USD_JPY')).toBe('other');
    expect(keys.kindOf('fx:sessions:now')).toBe('other');
  });

  it('should give SCAN patterns that stay inside the prefix', () => {
    const kinds = keysWith({ REDIS_KEY_PREFIX: 'test:ab12:' }).kinds();
    expect(kinds).toEqual({
      price: 'test:ab12:price:*',
      metrics: 'test:ab12:metrics:*',
      correlation_matrix: 'test:ab12:correlation_matrix:*',
      best_pairs: 'test:ab12:best_pairs',
    });
  });
});
