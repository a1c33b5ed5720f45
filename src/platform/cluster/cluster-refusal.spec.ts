import { AppConfig } from '../config/app-config';
import { clusterRefusal } from './cluster-refusal';

const EXTERNAL = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/fx',
  REDIS_URL: 'redis://127.0.0.1:6379',
};
const refusal = (env: Record<string, string>) => clusterRefusal(AppConfig.fromEnv(env));

describe('clusterRefusal', () => {
  it('should let one worker run in any mode, and several with external PostgreSQL and Redis', () => {
    expect(refusal({})).toBeNull();
    expect(refusal({ WORKERS: '1' })).toBeNull();
    expect(refusal({ ...EXTERNAL, WORKERS: '4' })).toBeNull();
  });

  it('should refuse several workers in embedded mode, naming WORKERS and each variable to set', () => {
    const both = refusal({ WORKERS: '2' });
    expect(both).toMatch(/^WORKERS=2 needs an external PostgreSQL and Redis/);
    expect(both).toContain('DATABASE_URL');
    expect(both).toContain('REDIS_URL');
    expect(both).toContain('WORKERS=1');

    const noRedis = refusal({ WORKERS: '3', DATABASE_URL: EXTERNAL.DATABASE_URL });
    expect(noRedis).toContain('REDIS_URL');
    expect(noRedis).not.toContain('DATABASE_URL');
    const noDatabase = refusal({ WORKERS: '3', REDIS_URL: EXTERNAL.REDIS_URL });
    expect(noDatabase).toContain('DATABASE_URL');
    expect(noDatabase).not.toContain('REDIS_URL');
  });

  it('should refuse a separate WEBSOCKET_PORT with several workers (it would not be sticky)', () => {
    expect(refusal({ ...EXTERNAL, WORKERS: '2', WEBSOCKET_PORT: '3001' })).toMatch(
      /WORKERS=2 .*unset WEBSOCKET_PORT \(3001\)/,
    );
    expect(refusal({ ...EXTERNAL, WORKERS: '1', WEBSOCKET_PORT: '3001' })).toBeNull();
  });

  it('should validate WORKERS as a whole number from 1 to 64', () => {
    expect(AppConfig.fromEnv({}).cluster.workers).toBe(1);
    for (const bad of ['0', '65', '1.5', 'two'])
      expect(() => AppConfig.fromEnv({ WORKERS: bad })).toThrow(/WORKERS/);
  });
});
