/**
 * Tuning knobs of the OANDA adapter that are not deployment settings (those
 * live in AppConfig.oanda). Defaults suit production; tests shrink the delays
 * so reconnects and retries run in milliseconds instead of seconds.
 */
export interface OandaAdapterOptions {
  /** First retry waits up to this long (full jitter), doubling per attempt. */
  baseDelayMs?: number;
  /** Cap of any single retry or reconnect delay, Retry-After included. */
  maxDelayMs?: number;
  /** Reconnect the price stream when no PRICE or HEARTBEAT arrived for this long (OANDA heartbeats every 5 s). */
  silenceTimeoutMs?: number;
  /** First stream reconnect waits up to this long, doubling per failed attempt. */
  reconnectBaseDelayMs?: number;
  /** Burst size of the request rate limiter. */
  burst?: number;
  /** New stream connections per second (OANDA allows 2 new connections per second). */
  streamConnectionsPerSecond?: number;
  /** Uniform [0, 1) source for jitter. */
  random?: () => number;
}

export type ResolvedOandaOptions = Required<OandaAdapterOptions>;

export function resolveOandaOptions(options: OandaAdapterOptions = {}): ResolvedOandaOptions {
  return {
    baseDelayMs: options.baseDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    silenceTimeoutMs: options.silenceTimeoutMs ?? 10_000,
    reconnectBaseDelayMs: options.reconnectBaseDelayMs ?? 1_000,
    burst: options.burst ?? 10,
    streamConnectionsPerSecond: options.streamConnectionsPerSecond ?? 2,
    random: options.random ?? Math.random,
  };
}
