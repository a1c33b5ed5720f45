import type { AppConfig } from '../config';

/**
 * Why this configuration cannot run as several workers, or null when it can.
 * Checked by the primary before it forks anything, so the answer is one line
 * at start, not N workers failing one after another.
 *
 * - Embedded mode: the embedded PostgreSQL belongs to one process (its data
 *   directory is locked by it), and the in-process pub/sub reaches only the
 *   sockets of the process that publishes, so a client on another worker
 *   would never see a price. Refused rather than quietly run as one worker:
 *   WORKERS=4 that serves with one core is a setting that lies.
 * - WEBSOCKET_PORT: the primary makes PORT sticky (a Socket.IO session always
 *   reaches the worker that holds it); a second Socket.IO port in each worker
 *   would be shared by Node's cluster round-robin, which is not sticky, and
 *   long-polling clients would lose their session on every other request.
 */
export function clusterRefusal(config: AppConfig): string | null {
  const workers = config.cluster.workers;
  if (workers <= 1) return null;
  const missing = [
    !config.database.url && 'DATABASE_URL (unset: an embedded PostgreSQL, one process only)',
    !config.redis.url && 'REDIS_URL (unset: in-process pub/sub, which reaches one process only)',
  ].filter((m): m is string => typeof m === 'string');
  if (missing.length > 0)
    return (
      `WORKERS=${workers} needs an external PostgreSQL and Redis shared by the workers: set ` +
      `${missing.join(' and ')}, or set WORKERS=1 for one process`
    );
  if (config.app.websocketPort)
    return (
      `WORKERS=${workers} serves Socket.IO on PORT, where the primary keeps each session on its ` +
      `worker: unset WEBSOCKET_PORT (${config.app.websocketPort}), or set WORKERS=1`
    );
  return null;
}
