/** First restart of a worker that died comes this soon; each further quick death doubles it. */
export const RESTART_BASE_MS = 1_000;
/** Never wait longer than this between restarts of one worker. */
export const RESTART_MAX_MS = 30_000;
/** A worker that served this long before it died starts the backoff over. */
export const RESTART_STABLE_MS = 60_000;

/**
 * Restart delays of one worker slot: 1 s, 2 s, 4 s ... up to 30 s while the
 * worker keeps dying soon after it starts (a crash loop must not burn the
 * cores it is meant to use), back to 1 s once a worker ran for a minute.
 */
export class RestartBackoff {
  private quickDeaths = 0;

  /** The delay before restarting a worker that ran `uptimeMs` before it died. */
  next(uptimeMs: number): number {
    if (uptimeMs >= RESTART_STABLE_MS) this.quickDeaths = 0;
    const delay = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** this.quickDeaths);
    this.quickDeaths += 1;
    return delay;
  }
}
