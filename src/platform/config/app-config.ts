import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { EnvironmentVariables, RawEnv, validateEnv } from './env.validation';
import { JOB_DEFINITIONS, type JobName } from './job-definitions';
import { selectProvider, type ProviderName } from './market-data-providers';
import { instrumentSpec, InstrumentSpec } from './instruments';

const OANDA_HOSTS = {
  practice: {
    api: 'https://api-fxpractice.oanda.com',
    stream: 'https://stream-fxpractice.oanda.com',
  },
  live: { api: 'https://api-fxtrade.oanda.com', stream: 'https://stream-fxtrade.oanda.com' },
} as const;

/**
 * The usual local servers, for tools that need real external ones (benchmarks
 * create throwaway databases) when DATABASE_URL / REDIS_URL are unset.
 */
export const LOCAL_SERVERS = {
  database: 'postgres://postgres@127.0.0.1:5432/fx_pipeline',
  redis: 'redis://127.0.0.1:6379',
} as const;

const parseThresholds = (raw: string): ReadonlyMap<string, number> =>
  new Map(
    raw
      .split(',')
      .filter(Boolean)
      .map((entry) => {
        const [instrument, value] = entry.split(':');
        return [instrument, Number(value)] as const;
      }),
  );

/**
 * Typed, validated configuration grouped by concern. Built once per app from
 * the environment; inject it wherever a setting is needed.
 */
export class AppConfig {
  readonly app: {
    nodeEnv: string;
    port: number;
    websocketPort: number | undefined;
    logLevel: string;
    logFormat: 'text' | 'json';
    instanceId: string;
    version: string;
  };
  readonly database: {
    /** Undefined: the embedded PostgreSQL of `dataDir` (see database-runtime.ts). */
    url: string | undefined;
    dataDir: string;
    migrationsRun: boolean;
    poolSize: number;
  };
  /** `url` undefined: in-process pub/sub and cache (one instance). */
  readonly redis: { url: string | undefined; keyPrefix: string };
  /** `embedded` unless both DATABASE_URL and REDIS_URL are set. */
  readonly mode: 'embedded' | 'external';
  /** `workers` > 1: a cluster primary forks that many app processes (src/platform/cluster). */
  readonly cluster: { workers: number };
  readonly market: {
    provider: ProviderName;
    instruments: readonly string[];
    simulatedSeed: number;
    simulatedTickIntervalMs: number;
    priceStreamEnabled: boolean;
  };
  readonly oanda: {
    apiKey: string | undefined;
    accountId: string | undefined;
    environment: 'practice' | 'live';
    apiUrl: string;
    streamUrl: string;
    maxRequestsPerSecond: number;
    maxRetries: number;
    requestTimeoutMs: number;
  };
  readonly cache: {
    ttlPrice: number;
    ttlMetrics: number;
    ttlCorrelation: number;
    ttlBestPairs: number;
  };
  readonly retention: { days: number; auditHours: number; auditIntervalMs: number };
  readonly analytics: {
    hvPeriodsPerYear: number;
    correlationWindows: readonly number[];
    volatilityWarningRatio: number;
    volatilityCriticalRatio: number;
    volatilityAbsolute: ReadonlyMap<string, number>;
    correlationAlertChange: number;
    correlationAlertLevel: number;
    correlationAlertHysteresis: number;
    correlationAlertCooldownHours: number;
    negativeThreshold: number;
    uncorrelatedThreshold: number;
    highThreshold: number;
  };
  readonly jobs: {
    schedulerEnabled: boolean;
    enabled: Record<JobName, boolean>;
    cron: Record<JobName, string>;
    timeoutSeconds: number;
    /** How long job steps retry database work lost to a dropped connection (JOB_DB_RETRY_SECONDS). */
    dbRetrySeconds: number;
    catchUpOnBoot: boolean;
    shutdownGraceSeconds: number;
  };
  readonly websocket: {
    maxClients: number;
    pingIntervalMs: number;
    pingTimeoutMs: number;
    maxMessageBytes: number;
    rateLimitPerSecond: number;
    /** 0 = Socket.IO connection-state recovery off. */
    stateRecoveryMs: number;
  };
  readonly auth: {
    mode: 'keys' | 'off';
    metricsToken: string | undefined;
    rateLimitPerMinute: number;
    maxConnectionsPerKey: number;
    /** Allowed browser origins; `['*']` = any, `[]` = same origin only. */
    corsOrigins: readonly string[];
  };
  readonly alerts: {
    rulesPerKey: number;
    webhookAllowPrivate: boolean;
    retryBaseMs: number;
    retryWindowMs: number;
    webhookTimeoutMs: number;
    webhookConcurrency: number;
    historyDays: number;
    refreshMs: number;
  };

  constructor(env: EnvironmentVariables) {
    this.app = {
      nodeEnv: env.NODE_ENV,
      port: env.PORT,
      websocketPort: env.WEBSOCKET_PORT,
      logLevel: env.LOG_LEVEL,
      logFormat: env.LOG_FORMAT as 'text' | 'json',
      instanceId: env.INSTANCE_ID ?? `${hostname()}-${process.pid}`,
      version: readVersion(),
    };
    this.database = {
      url: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      migrationsRun: env.DB_MIGRATIONS_RUN,
      poolSize: env.DB_POOL_SIZE,
    };
    this.redis = { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX };
    this.mode = env.DATABASE_URL && env.REDIS_URL ? 'external' : 'embedded';
    this.cluster = { workers: env.WORKERS };
    this.market = {
      provider: selectProvider(env),
      instruments: [...new Set(env.INSTRUMENTS.split(','))],
      simulatedSeed: env.SIMULATED_SEED,
      simulatedTickIntervalMs: env.SIMULATED_TICK_INTERVAL_MS,
      priceStreamEnabled: env.PRICE_STREAM_ENABLED,
    };
    const hosts = OANDA_HOSTS[env.OANDA_ENVIRONMENT];
    this.oanda = {
      apiKey: env.OANDA_API_KEY,
      accountId: env.OANDA_ACCOUNT_ID,
      environment: env.OANDA_ENVIRONMENT,
      apiUrl: (env.OANDA_API_URL ?? hosts.api).replace(/\/+$/, ''),
      streamUrl: (env.OANDA_STREAM_URL ?? hosts.stream).replace(/\/+$/, ''),
      maxRequestsPerSecond: env.OANDA_MAX_REQUESTS_PER_SECOND,
      maxRetries: env.OANDA_MAX_RETRIES,
      requestTimeoutMs: env.OANDA_REQUEST_TIMEOUT_MS,
    };
    this.cache = {
      ttlPrice: env.CACHE_TTL_PRICE,
      ttlMetrics: env.CACHE_TTL_METRICS,
      ttlCorrelation: env.CACHE_TTL_CORRELATION,
      ttlBestPairs: env.CACHE_TTL_BEST_PAIRS,
    };
    this.retention = {
      days: env.DATA_RETENTION_DAYS,
      auditHours: env.AUDIT_RETENTION_HOURS,
      auditIntervalMs: env.PRICE_AUDIT_INTERVAL_MS,
    };
    this.analytics = {
      hvPeriodsPerYear: env.HV_PERIODS_PER_YEAR,
      correlationWindows: [...new Set(env.CORRELATION_WINDOWS.split(',').map(Number))],
      volatilityWarningRatio: env.VOLATILITY_ALERT_WARNING_RATIO,
      volatilityCriticalRatio: env.VOLATILITY_ALERT_CRITICAL_RATIO,
      volatilityAbsolute: parseThresholds(env.VOLATILITY_ALERT_ABSOLUTE),
      correlationAlertChange: env.CORRELATION_ALERT_CHANGE,
      correlationAlertLevel: env.CORRELATION_ALERT_LEVEL,
      correlationAlertHysteresis: env.CORRELATION_ALERT_HYSTERESIS,
      correlationAlertCooldownHours: env.CORRELATION_ALERT_COOLDOWN_HOURS,
      negativeThreshold: env.BEST_PAIRS_NEGATIVE_THRESHOLD,
      uncorrelatedThreshold: env.BEST_PAIRS_UNCORRELATED_THRESHOLD,
      highThreshold: env.BEST_PAIRS_HIGH_THRESHOLD,
    };
    this.jobs = {
      schedulerEnabled: env.SCHEDULER_ENABLED,
      enabled: jobSettings(env, 'switchVariable', 'boolean'),
      cron: jobSettings(env, 'cronVariable', 'string'),
      timeoutSeconds: env.JOB_TIMEOUT_SECONDS,
      dbRetrySeconds: env.JOB_DB_RETRY_SECONDS,
      catchUpOnBoot: env.JOBS_CATCH_UP_ON_BOOT,
      shutdownGraceSeconds: env.JOBS_SHUTDOWN_GRACE_SECONDS,
    };
    this.websocket = {
      maxClients: env.WS_MAX_CLIENTS,
      pingIntervalMs: env.WS_PING_INTERVAL_MS,
      pingTimeoutMs: env.WS_PING_TIMEOUT_MS,
      maxMessageBytes: env.WS_MAX_MESSAGE_BYTES,
      rateLimitPerSecond: env.WS_RATE_LIMIT_PER_SECOND,
      stateRecoveryMs: env.WS_STATE_RECOVERY_SECONDS * 1000,
    };
    this.auth = {
      mode: env.AUTH_MODE,
      metricsToken: env.METRICS_TOKEN,
      rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
      maxConnectionsPerKey: env.WS_MAX_CONNECTIONS_PER_KEY,
      corsOrigins: env.CORS_ORIGINS.split(',').filter(Boolean),
    };
    this.alerts = {
      rulesPerKey: env.ALERT_RULES_PER_KEY,
      webhookAllowPrivate: env.ALERT_WEBHOOK_ALLOW_PRIVATE,
      retryBaseMs: env.ALERT_WEBHOOK_RETRY_BASE_MS,
      retryWindowMs: Math.round(env.ALERT_WEBHOOK_RETRY_HOURS * 3_600_000),
      webhookTimeoutMs: env.ALERT_WEBHOOK_TIMEOUT_MS,
      webhookConcurrency: env.ALERT_WEBHOOK_CONCURRENCY,
      historyDays: env.ALERT_HISTORY_DAYS,
      refreshMs: env.ALERT_RULES_REFRESH_MS,
    };
  }

  static fromEnv(raw: RawEnv = process.env): AppConfig {
    return new AppConfig(validateEnv(raw));
  }

  /** The process environment with `overrides` on top (tests, the CLI), validated. */
  static load(overrides: RawEnv = {}): AppConfig {
    return AppConfig.fromEnv({ ...process.env, ...overrides });
  }

  /** Catalogue entries of the tracked instruments, in configured order. */
  instrumentSpecs(): InstrumentSpec[] {
    return this.market.instruments.map(instrumentSpec);
  }

  isTracked(instrument: string): boolean {
    return this.market.instruments.includes(instrument);
  }

  /** Safe to log or return: secrets are masked. */
  toJSON(): Record<string, unknown> {
    return <Record<string, unknown>>(<unknown>{
      ...this,
      database: { ...this.database, url: maskUrl(this.database.url) },
      redis: { ...this.redis, url: maskUrl(this.redis.url) },
      oanda: { ...this.oanda, apiKey: this.oanda.apiKey ? '***' : undefined },
      auth: { ...this.auth, metricsToken: this.auth.metricsToken ? '***' : undefined },
    });
  }
}

/**
 * Each job's switch or cron value, read from the variable its definition names
 * (job-definitions.ts). A definition naming a variable the
 * environment class does not declare is a programming error: it fails every boot.
 */
function jobSettings<T extends 'boolean' | 'string'>(
  env: EnvironmentVariables,
  variable: 'switchVariable' | 'cronVariable',
  type: T,
): Record<JobName, T extends 'boolean' ? boolean : string> {
  const values = env as unknown as Record<string, unknown>;
  return Object.fromEntries(
    JOB_DEFINITIONS.map((def) => {
      const value = values[def[variable]];
      if (typeof value !== type)
        throw new Error(`job ${def.name}: ${def[variable]} is not a ${type} environment variable`);
      return [def.name, value];
    }),
  ) as Record<JobName, T extends 'boolean' ? boolean : string>;
}

/** The package version, from package.json in the working directory (the app runs from the project root or /app). */
function readVersion(): string {
  try {
    return (
      JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version: string }
    ).version;
  } catch {
    return process.env.npm_package_version ?? '0.0.0';
  }
}

function maskUrl(url: string | undefined): string | undefined {
  return url?.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}
