/**
 * Which database errors are about the connection rather than the statement:
 * PostgreSQL restarting or unreachable. Those are worth retrying (the same
 * statement will work once the server is back); anything else (a constraint,
 * a syntax error, bad data) would fail the same way again.
 */

/** SQLSTATEs of a server going away or not yet there (class 08 is matched as a whole). */
const CONNECTION_SQLSTATES = new Set([
  '57P01', // admin_shutdown: "terminating connection due to administrator command"
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: "the database system is starting up / shutting down"
  '53300', // too_many_connections: momentary during a restart storm
]);

/** Socket-level errors from Node (the server is down or the network dropped). */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** node-postgres and pg-pool report a dead or dying connection with messages only, no code. */
const CONNECTION_MESSAGES = [
  /^connection terminated/i, // "Connection terminated unexpectedly", "... due to connection timeout"
  /not queryable/i, // "Client has encountered a connection error and is not queryable"
  /timeout exceeded when trying to connect/i, // pg-pool's connectionTimeoutMillis
  /^the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/i,
  // TypeORM's QueryRunnerAlreadyReleasedError ("Query runner already released. Cannot run
  // queries anymore.") and QueryRunnerProviderAlreadyReleasedError ("Database connection provided
  // by a query runner was already released, ..."): a transaction whose connection died is
  // released while rolling back, and its next statement reports one of those instead of the lost
  // connection. The spec builds both real TypeORM errors, so a change of wording upstream fails there.
  /query runner (was )?already released/i,
];

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  /** TypeORM's QueryFailedError keeps the pg error here. */
  driverError?: unknown;
  cause?: unknown;
  /** AggregateError: a refused connection to every address of localhost. */
  errors?: unknown;
}

/**
 * True when `error` (or the error it wraps) means the connection to PostgreSQL
 * failed or was cut, so the same work may succeed once the server is back.
 */
export function isConnectionError(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  const e = error as ErrorLike;
  if (typeof e.code === 'string') {
    if (e.code.startsWith('08') && e.code.length === 5) return true;
    if (CONNECTION_SQLSTATES.has(e.code) || SOCKET_CODES.has(e.code)) return true;
  }
  if (
    typeof e.message === 'string' &&
    CONNECTION_MESSAGES.some((re) => re.test(e.message as string))
  )
    return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isConnectionError(inner, depth + 1)))
    return true;
  return isConnectionError(e.driverError, depth + 1) || isConnectionError(e.cause, depth + 1);
}
