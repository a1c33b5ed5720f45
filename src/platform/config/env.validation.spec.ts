import { AppConfig } from './app-config';
import { InvalidEnvironmentError, validateEnv } from './env.validation';

describe('validateEnv', () => {
  it('should apply the documented defaults to an empty environment', () => {
    const env = validateEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DB_MIGRATIONS_RUN).toBe(true);
    expect(env.INSTRUMENTS.split(',')).toHaveLength(20);
    expect(env.DATA_RETENTION_DAYS).toBe(365);
    expect(env.WS_MAX_CLIENTS).toBe(1000);
  });

  it('should name every offending variable at once', () => {
    let error: unknown;
    try {
      validateEnv({
        PORT: 'abc',
        DATABASE_URL: 'mysql://x',
        HOURLY_JOB_ENABLED: 'maybe',
        INSTRUMENTS: 'EURUSD',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'DATABASE_URL', 'HOURLY_JOB_ENABLED', 'INSTRUMENTS'])
      expect(message).toContain(name);
  });

  it('should require an OANDA key when the OANDA provider is chosen, without echoing secrets', () => {
    expect(() => validateEnv({ MARKET_DATA_PROVIDER: 'oanda' })).toThrow(/OANDA_API_KEY/);
    expect(() => validateEnv({ OANDA_API_KEY: 123 as unknown as string })).toThrow(/<redacted>/);
  });

  it('should parse booleans and numbers from strings', () => {
    const env = validateEnv({
      DB_MIGRATIONS_RUN: 'false',
      PORT: '8080',
      HV_PERIODS_PER_YEAR: '8760',
    });
    expect(env.DB_MIGRATIONS_RUN).toBe(false);
    expect(env.PORT).toBe(8080);
    expect(env.HV_PERIODS_PER_YEAR).toBe(8760);
  });
});

describe(AppConfig.name, () => {
  it('should default to the simulated market without an OANDA key and to OANDA with one', () => {
    expect(AppConfig.fromEnv({}).market.provider).toBe('simulated');
    expect(AppConfig.fromEnv({ OANDA_API_KEY: 'k' }).market.provider).toBe('oanda');
  });

  it('should pick OANDA hosts by environment and honour URL overrides', () => {
    expect(AppConfig.fromEnv({}).oanda.apiUrl).toBe('https://api-fxpractice.oanda.com');
    expect(AppConfig.fromEnv({ OANDA_ENVIRONMENT: 'live' }).oanda.streamUrl).toBe(
      'https://stream-fxtrade.oanda.com',
    );
    expect(AppConfig.fromEnv({ OANDA_API_URL: 'http://127.0.0.1:9/' }).oanda.apiUrl).toBe(
      'http://127.0.0.1:9',
    );
  });

  it('should mask secrets when serialised', () => {
    const json = JSON.stringify(
      AppConfig.fromEnv({ OANDA_API_KEY: 'supersecret', DATABASE_URL: 'postgres://u:pw@h/db' }),
    );
    expect(json).not.toContain('supersecret');
    expect(json).not.toContain(':pw@');
  });

  it('should parse per-instrument absolute volatility thresholds', () => {
    const c = AppConfig.fromEnv({ VOLATILITY_ALERT_ABSOLUTE: 'EUR_USD:0.12,USD_ZAR:0.3' });
    expect(c.analytics.volatilityAbsolute.get('USD_ZAR')).toBe(0.3);
  });
});
