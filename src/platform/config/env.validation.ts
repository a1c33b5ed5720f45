import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
  ValidationError,
} from 'class-validator';
import { providerProblems } from './market-data-providers';
import { DEFAULT_INSTRUMENTS, INSTRUMENT_PATTERN } from './instruments';

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value; // left as a string so IsBoolean names it
};
const toNum = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))
    ? Number(value)
    : value;
const CRON = /^(\S+\s+){4,5}\S+$/;

/**
 * Every environment variable the service reads, with its default. This class is
 * the single place env is parsed; the rest of the code reads `AppConfig`.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @Transform(toNum)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsOptional()
  @Transform(toNum)
  @IsInt()
  @Min(0)
  @Max(65535)
  WEBSOCKET_PORT?: number = undefined;

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL = 'log';

  @IsIn(['text', 'json'])
  LOG_FORMAT = 'text';

  @IsOptional()
  @IsString()
  INSTANCE_ID?: string = undefined;

  /**
   * Processes serving on PORT (Node cluster, sticky Socket.IO sessions); 1 = one plain process.
   * More than 1 needs DATABASE_URL and REDIS_URL (src/platform/cluster/cluster-refusal.ts).
   */
  @Transform(toNum)
  @IsInt()
  @Min(1)
  @Max(64)
  WORKERS = 1;

  /** Unset: an embedded PostgreSQL started by the service, with its data in DATA_DIR. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string = undefined;

  /** The embedded PostgreSQL's data (and its lock file); used only while DATABASE_URL is unset. */
  @IsString()
  DATA_DIR = './.data';

  @Transform(toBool)
  @IsBoolean()
  DB_MIGRATIONS_RUN = true;

  @Transform(toNum)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  /** Unset: in-process pub/sub and an in-memory cache, for a single instance. */
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL?: string = undefined;

  /** Prepended to every cache key and pub/sub channel; lets deployments (or test runs) share a Redis. */
  @Matches(/^[A-Za-z0-9_:.-]*$/, {
    message: 'REDIS_KEY_PREFIX may hold letters, digits and _ : . -',
  })
  REDIS_KEY_PREFIX = '';

  /** A provider name (market-data-providers.ts); unset: OANDA with a key, else simulated. */
  @IsOptional()
  @IsString()
  MARKET_DATA_PROVIDER?: string = undefined;

  @IsOptional()
  @IsString()
  OANDA_API_KEY?: string = undefined;

  @IsOptional()
  @IsString()
  OANDA_ACCOUNT_ID?: string = undefined;

  @IsIn(['practice', 'live'])
  OANDA_ENVIRONMENT: 'practice' | 'live' = 'practice';

  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'OANDA_API_URL must be an http(s) URL' })
  OANDA_API_URL?: string = undefined;

  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'OANDA_STREAM_URL must be an http(s) URL' })
  OANDA_STREAM_URL?: string = undefined;

  /** OANDA allows 120 requests/s per connection; stay well under by default. */
  @Transform(toNum)
  @IsNumber()
  @Min(1)
  @Max(120)
  OANDA_MAX_REQUESTS_PER_SECOND = 100;

  @Transform(toNum)
  @IsInt()
  @Min(0)
  @Max(20)
  OANDA_MAX_RETRIES = 6;

  @Transform(toNum)
  @IsInt()
  @Min(1000)
  OANDA_REQUEST_TIMEOUT_MS = 30000;

  @Matches(/^[A-Z]{3}_[A-Z]{3}(,[A-Z]{3}_[A-Z]{3})*$/, {
    message: 'INSTRUMENTS must be comma-separated OANDA names like EUR_USD,GBP_USD',
  })
  INSTRUMENTS = DEFAULT_INSTRUMENTS.join(',');

  @Transform(toNum)
  @IsInt()
  SIMULATED_SEED = 42;

  @Transform(toNum)
  @IsInt()
  @Min(10)
  SIMULATED_TICK_INTERVAL_MS = 250;

  @Transform(toBool)
  @IsBoolean()
  PRICE_STREAM_ENABLED = true;

  @Transform(toNum)
  @IsInt()
  @Min(1)
  CACHE_TTL_PRICE = 300;
  @Transform(toNum)
  @IsInt()
  @Min(1)
  CACHE_TTL_METRICS = 3600;
  @Transform(toNum)
  @IsInt()
  @Min(1)
  CACHE_TTL_CORRELATION = 86400;
  @Transform(toNum)
  @IsInt()
  @Min(1)
  CACHE_TTL_BEST_PAIRS = 86400;

  @Transform(toNum)
  @IsInt()
  @Min(1)
  DATA_RETENTION_DAYS = 365;
  @Transform(toNum)
  @IsInt()
  @Min(1)
  AUDIT_RETENTION_HOURS = 24;
  /** At most one live-price audit row per instrument per this many ms (0 = every tick). */
  @Transform(toNum)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  PRICE_AUDIT_INTERVAL_MS = 1000;

  @Transform(toNum)
  @IsNumber()
  @Min(1)
  HV_PERIODS_PER_YEAR = 6240;

  @Matches(/^\d+(,\d+)*$/, {
    message: 'CORRELATION_WINDOWS must be comma-separated integers like 100,200',
  })
  CORRELATION_WINDOWS = '100,200';

  @Transform(toNum)
  @IsNumber()
  @Min(1)
  VOLATILITY_ALERT_WARNING_RATIO = 1.5;
  @Transform(toNum)
  @IsNumber()
  @Min(1)
  VOLATILITY_ALERT_CRITICAL_RATIO = 2;
  /** Per-instrument absolute volatility_20 thresholds, e.g. "EUR_USD:0.12,USD_ZAR:0.3". */
  @Matches(/^([A-Z]{3}_[A-Z]{3}:\d+(\.\d+)?(,[A-Z]{3}_[A-Z]{3}:\d+(\.\d+)?)*)?$/, {
    message: 'VOLATILITY_ALERT_ABSOLUTE must look like EUR_USD:0.12,USD_ZAR:0.3',
  })
  VOLATILITY_ALERT_ABSOLUTE = '';
  @Transform(toNum)
  @IsNumber()
  @Min(0)
  @Max(2)
  CORRELATION_ALERT_CHANGE = 0.2;
  @Transform(toNum)
  @IsNumber()
  @Min(0)
  @Max(1)
  CORRELATION_ALERT_LEVEL = 0.7;
  /** A crossing of +/-CORRELATION_ALERT_LEVEL counts only once the value is this far past it. */
  @Transform(toNum)
  @IsNumber()
  @Min(0)
  @Max(0.3)
  CORRELATION_ALERT_HYSTERESIS = 0.02;
  /** Hours (between calculation days) before the same pair may alert again; 0 = no cooldown. */
  @Transform(toNum)
  @IsInt()
  @Min(0)
  @Max(8760)
  CORRELATION_ALERT_COOLDOWN_HOURS = 24;

  @Transform(toNum)
  @IsNumber()
  @Min(-1)
  @Max(0)
  BEST_PAIRS_NEGATIVE_THRESHOLD = -0.4;
  @Transform(toNum)
  @IsNumber()
  @Min(0)
  @Max(1)
  BEST_PAIRS_UNCORRELATED_THRESHOLD = 0.4;
  @Transform(toNum)
  @IsNumber()
  @Min(0)
  @Max(1)
  BEST_PAIRS_HIGH_THRESHOLD = 0.7;

  /** Off on instances that should only serve traffic (jobs then run elsewhere). */
  @Transform(toBool)
  @IsBoolean()
  SCHEDULER_ENABLED = true;
  @Transform(toBool)
  @IsBoolean()
  HOURLY_JOB_ENABLED = true;
  @Transform(toBool)
  @IsBoolean()
  DAILY_JOB_ENABLED = true;
  @Transform(toBool)
  @IsBoolean()
  RETENTION_JOB_ENABLED = true;
  @Transform(toBool)
  @IsBoolean()
  AUDIT_PRUNE_JOB_ENABLED = true;
  @Matches(CRON, { message: 'HOURLY_JOB_CRON must be a cron expression' })
  HOURLY_JOB_CRON = '0 2 * * * *';
  @Matches(CRON, { message: 'DAILY_JOB_CRON must be a cron expression' })
  DAILY_JOB_CRON = '0 0 0 * * *';
  @Matches(CRON, { message: 'RETENTION_JOB_CRON must be a cron expression' })
  RETENTION_JOB_CRON = '0 0 2 * * 0';
  @Matches(CRON, { message: 'AUDIT_PRUNE_JOB_CRON must be a cron expression' })
  AUDIT_PRUNE_JOB_CRON = '0 30 * * * *';
  @Transform(toNum)
  @IsInt()
  @Min(1)
  JOB_TIMEOUT_SECONDS = 1800;
  /**
   * A job retries database work that failed on the connection (a PostgreSQL restart) for this
   * long before giving up on an instrument; 0 = no retry.
   */
  @Transform(toNum)
  @IsInt()
  @Min(0)
  @Max(3600)
  JOB_DB_RETRY_SECONDS = 30;
  @Transform(toBool)
  @IsBoolean()
  JOBS_CATCH_UP_ON_BOOT = true;
  /** On shutdown a running job gets this long to finish before it is marked failed. */
  @Transform(toNum)
  @IsInt()
  @Min(0)
  @Max(8)
  JOBS_SHUTDOWN_GRACE_SECONDS = 5;

  @Transform(toNum)
  @IsInt()
  @Min(1)
  WS_MAX_CLIENTS = 1000;
  @Transform(toNum)
  @IsInt()
  @Min(1000)
  WS_PING_INTERVAL_MS = 25000;
  @Transform(toNum)
  @IsInt()
  @Min(500)
  WS_PING_TIMEOUT_MS = 5000;
  @Transform(toNum)
  @IsInt()
  @Min(256)
  WS_MAX_MESSAGE_BYTES = 16384;
  @Transform(toNum)
  @IsInt()
  @Min(1)
  WS_RATE_LIMIT_PER_SECOND = 20;
  /** Socket.IO connection-state recovery window; 0 = off (it adds an offset argument to every event). */
  @Transform(toNum)
  @IsInt()
  @Min(0)
  @Max(3600)
  WS_STATE_RECOVERY_SECONDS = 0;

  /** `keys`: every /api/v1 route and Socket.IO need an API key; `off`: open (warned at every boot). */
  @IsIn(['keys', 'off'])
  AUTH_MODE: 'keys' | 'off' = 'keys';
  /** Bearer token Prometheus may scrape /metrics with (an admin key works too). */
  @IsOptional()
  @IsString()
  METRICS_TOKEN?: string = undefined;
  /** REST requests per key (per IP when AUTH_MODE=off) per minute, shared by all instances; 0 turns the limiter off. */
  @Transform(toNum)
  @IsInt()
  @Min(0)
  RATE_LIMIT_PER_MINUTE = 600;
  /** Open Socket.IO connections per key across all instances (a key's own max_connections wins). */
  @Transform(toNum)
  @IsInt()
  @Min(1)
  WS_MAX_CONNECTIONS_PER_KEY = 10;
  /** Browser origins allowed for REST (CORS) and the Socket.IO handshake; empty = same origin only. */
  @Matches(/^(\*|(https?:\/\/[^\s,/]+)(,https?:\/\/[^\s,/]+)*)?$/, {
    message:
      'CORS_ORIGINS must be * or comma-separated origins like https://a.example,http://localhost:5173',
  })
  CORS_ORIGINS = '';

  /** Alert rules one API key may hold (the implicit owner's too when AUTH_MODE=off). */
  @Transform(toNum)
  @IsInt()
  @Min(1)
  @Max(100000)
  ALERT_RULES_PER_KEY = 200;
  /** Lets webhook URLs point at loopback, private, link-local, ... addresses (tests, a receiver on the LAN). */
  @Transform(toBool)
  @IsBoolean()
  ALERT_WEBHOOK_ALLOW_PRIVATE = false;
  /** First retry delay of a failed webhook; doubles per attempt (with jitter), capped at an hour. */
  @Transform(toNum)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  ALERT_WEBHOOK_RETRY_BASE_MS = 5000;
  /** A webhook is retried for this long after its event, then marked failed. */
  @Transform(toNum)
  @IsNumber()
  @Min(0.001)
  @Max(168)
  ALERT_WEBHOOK_RETRY_HOURS = 24;
  /** Per-request timeout of a webhook POST (connect to last byte). */
  @Transform(toNum)
  @IsInt()
  @Min(100)
  @Max(60_000)
  ALERT_WEBHOOK_TIMEOUT_MS = 5000;
  /** Webhook POSTs in flight per instance: a slow receiver holds one slot, never the others. */
  @Transform(toNum)
  @IsInt()
  @Min(1)
  @Max(256)
  ALERT_WEBHOOK_CONCURRENCY = 16;
  /** alert_events (and finished outbox rows) older than this are deleted by the retention job. */
  @Transform(toNum)
  @IsInt()
  @Min(1)
  @Max(3650)
  ALERT_HISTORY_DAYS = 90;
  /** How often the stream leader re-reads changed rules (a change made on another instance). */
  @Transform(toNum)
  @IsInt()
  @Min(50)
  @Max(60_000)
  ALERT_RULES_REFRESH_MS = 1000;
}

export type RawEnv = Record<string, string | undefined>;

/** Thrown at boot; the message names every offending variable. */
export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidEnvironmentError';
  }
}

const describe = (errors: ValidationError[]): string[] =>
  errors.map((e) => {
    const shown = /KEY|SECRET|PASSWORD|TOKEN/.test(e.property)
      ? '<redacted>'
      : JSON.stringify(e.value);
    return `${e.property}=${shown}: ${Object.values(e.constraints ?? {}).join('; ')}`;
  });

/** Parses and validates env; unknown variables are ignored, empty strings count as unset. */
export function validateEnv(raw: RawEnv): EnvironmentVariables {
  const known = new EnvironmentVariables();
  const input: Record<string, string> = {};
  for (const key of Object.keys(known)) {
    const value = raw[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const env = plainToInstance(EnvironmentVariables, input, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  const problems = describe(errors);
  if (!errors.some((e) => e.property === 'MARKET_DATA_PROVIDER'))
    problems.push(...providerProblems(env));
  for (const inst of env.INSTRUMENTS?.split(',') ?? []) {
    if (!INSTRUMENT_PATTERN.test(inst))
      problems.push(`INSTRUMENTS: "${inst}" is not an instrument name`);
  }
  if (problems.length > 0) throw new InvalidEnvironmentError(problems);
  return env;
}
