/**
 * The provider port (after Ghostfolio's data-provider.interface.ts): one
 * named-params object per method. Implementations: OANDA v20 and the built-in
 * simulated market. Prices are decimal strings exactly as the source gives them.
 */

export const MARKET_DATA_PROVIDERS = Symbol('MARKET_DATA_PROVIDERS');

import type { Granularity } from '../platform/time';

export interface Ohlc {
  o: string;
  h: string;
  l: string;
  c: string;
}

export interface ProviderCandle {
  instrument: string;
  granularity: Granularity;
  /** Candle open time, UTC. */
  time: Date;
  bid: Ohlc;
  ask: Ohlc;
  mid: Ohlc;
  volume: number;
  complete: boolean;
}

export interface ProviderInstrument {
  name: string;
  displayName: string;
  displayPrecision: number;
  pipLocation: number;
}

export interface PriceTick {
  instrument: string;
  time: Date;
  bid: string;
  ask: string;
  /** (bid + ask) / 2 as a decimal string. */
  mid: string;
  /** False while the market is closed (the last price stands); absent when the source does not say. */
  tradeable?: boolean;
}

export type PriceStreamEvent =
  | { type: 'price'; tick: PriceTick }
  | { type: 'heartbeat'; time: Date }
  | { type: 'status'; connected: boolean; reason?: string };

export interface FetchCandlesParams {
  instrument: string;
  granularity: Granularity;
  /** Inclusive start (candle open time). */
  from: Date;
  /** Exclusive end; defaults to now. */
  to?: Date;
  signal?: AbortSignal;
}

export interface StreamPricesParams {
  instruments: readonly string[];
  /** Abort to stop streaming; the iterator then ends. */
  signal: AbortSignal;
}

export interface SelfTestResult {
  ok: boolean;
  provider: string;
  latencyMs: number;
  message?: string;
}

export interface MarketDataProvider {
  readonly name: 'oanda' | 'simulated';
  listInstruments(params: { instruments?: readonly string[] }): Promise<ProviderInstrument[]>;
  /**
   * Candles in [from, to), oldest first, yielded page by page so callers can
   * store as they go. Implementations page through provider limits.
   */
  fetchCandles(params: FetchCandlesParams): AsyncIterable<ProviderCandle[]>;
  /**
   * Live prices until the signal aborts. Reconnects on drops by itself and
   * reports it through `status` events rather than ending.
   */
  streamPrices(params: StreamPricesParams): AsyncIterable<PriceStreamEvent>;
  selfTest(params: { signal?: AbortSignal }): Promise<SelfTestResult>;
}

/** Typed errors decide retry vs give up. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
/** 429, 5xx, network errors, dropped streams: retried with backoff. */
export class TransientProviderError extends ProviderError {
  constructor(
    message: string,
    status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message, true, status);
  }
}
/** 400/401/403/404 and malformed data: not retried. */
export class PermanentProviderError extends ProviderError {
  constructor(message: string, status?: number) {
    super(message, false, status);
  }
}
