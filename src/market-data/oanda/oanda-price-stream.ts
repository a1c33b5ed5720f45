import type { Logger } from '@nestjs/common';
import { sleep } from '../../platform/time';
import { averageDecimals } from '../decimal';
import { PermanentProviderError, type PriceStreamEvent } from '../market-data-provider.interface';
import type { OandaHttpClient } from './oanda-http-client';
import type { ResolvedOandaOptions } from './oanda-options';
import { ndjsonLines } from './ndjson';
import { parseOandaTime } from './oanda-time';
import { backoffDelay } from './retry-policy';

const DECIMAL = /^\d+(\.\d+)?$/;

/**
 * One message of OANDA's pricing stream as an event: PRICE -> price tick
 * (best bid/ask, mid = exact (bid + ask) / 2), HEARTBEAT -> heartbeat.
 * Anything else (unknown types, prices without both sides) -> undefined.
 */
export function toStreamEvent(message: unknown): PriceStreamEvent | undefined {
  const m = message as Record<string, unknown> | null;
  if (!m || typeof m !== 'object') return undefined;
  if (m.type === 'HEARTBEAT') return { type: 'heartbeat', time: parseOandaTime(m.time) };
  if (m.type !== 'PRICE' || typeof m.instrument !== 'string') return undefined;
  const best = (side: unknown): string | undefined => {
    const price = Array.isArray(side)
      ? (side[0] as { price?: unknown } | undefined)?.price
      : undefined;
    return typeof price === 'string' && DECIMAL.test(price) ? price : undefined;
  };
  const bid = best(m.bids);
  const ask = best(m.asks);
  if (bid === undefined || ask === undefined) return undefined;
  return {
    type: 'price',
    tick: {
      instrument: m.instrument,
      time: parseOandaTime(m.time),
      bid,
      ask,
      mid: averageDecimals(bid, ask),
      ...(typeof m.tradeable === 'boolean' ? { tradeable: m.tradeable } : {}),
    },
  };
}

export interface PriceStreamDeps {
  client: OandaHttpClient;
  accountId: string;
  instruments: readonly string[];
  signal: AbortSignal;
  options: ResolvedOandaOptions;
  logger: Logger;
}

/**
 * OANDA's pricing stream as one endless iterable: reconnects with jittered
 * exponential backoff when the connection fails, drops, ends, or stays
 * silent (no PRICE/HEARTBEAT) for `silenceTimeoutMs`; reports each
 * connect/disconnect as a status event; ends when `signal` aborts. Errors
 * that reconnecting cannot fix (401, 403, 404, bad instruments) are thrown.
 */
export async function* oandaPriceStream(deps: PriceStreamDeps): AsyncGenerator<PriceStreamEvent> {
  const { client, signal, options, logger } = deps;
  const path = `/v3/accounts/${encodeURIComponent(deps.accountId)}/pricing/stream`;
  const query = { instruments: deps.instruments.join(',') };
  const label = {
    endpoint: 'pricing_stream' as const,
    what: `pricing stream (${query.instruments})`,
  };
  let failures = 0;
  while (!signal.aborted) {
    const connection = new AbortController();
    const abortConnection = () => connection.abort();
    signal.addEventListener('abort', abortConnection, { once: true });
    let silent = false;
    let watchdog: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        silent = true;
        connection.abort();
      }, options.silenceTimeoutMs);
    };
    let reason: string;
    try {
      const response = await client.openStream(label, path, query, connection.signal);
      logger.log(`Connected to the OANDA pricing stream for ${query.instruments}`);
      yield { type: 'status', connected: true };
      arm();
      const lines = ndjsonLines(response.body as unknown as AsyncIterable<Uint8Array>, (line) =>
        logger.warn(`Skipping a malformed pricing stream line (${line.length} chars)`),
      );
      for await (const message of lines) {
        clearTimeout(watchdog);
        let event: PriceStreamEvent | undefined;
        try {
          event = toStreamEvent(message);
        } catch (error) {
          logger.warn(`Skipping an unreadable pricing stream message: ${(error as Error).message}`);
        }
        if (event) {
          // A connection that delivers data resets the backoff.
          failures = 0;
          yield event;
        }
        arm();
      }
      reason = 'stream closed by the server';
    } catch (error) {
      if (signal.aborted) break;
      if (error instanceof PermanentProviderError) throw error;
      reason = silent
        ? `no price or heartbeat for ${options.silenceTimeoutMs} ms`
        : client.redact(error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(watchdog);
      signal.removeEventListener('abort', abortConnection);
      // Closes the socket if it is still open (silence, consumer stopped early).
      connection.abort();
    }
    if (signal.aborted) break;
    failures++;
    const delay = backoffDelay(failures, {
      baseDelayMs: options.reconnectBaseDelayMs,
      maxDelayMs: options.maxDelayMs,
      random: options.random,
    });
    logger.warn(`OANDA pricing stream disconnected (${reason}); reconnecting in ${delay} ms`);
    yield { type: 'status', connected: false, reason };
    if (!(await sleep(delay, signal))) break;
  }
}
