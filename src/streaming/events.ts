/**
 * The event contract shared by publishers, the Redis bridge, the Socket.IO
 * gateway and tests (DESIGN.md section 6). Change it here, nowhere else.
 */

export const CHANNELS = {
  priceUpdates: 'price_updates',
  volatilityAlerts: 'volatility_alerts',
  correlationAlerts: 'correlation_alerts',
  dataReady: 'data_ready',
} as const;
export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];

export type Severity = 'warning' | 'critical';

export interface LivePrice {
  bid: number;
  ask: number;
  mid: number;
  /** ISO-8601 UTC time of the quote. */
  time: string;
}

export interface PriceUpdateEvent {
  instrument: string;
  price: LivePrice;
  /** ISO-8601 UTC time the service published it (latency measurement). */
  timestamp: string;
}

export interface VolatilityAlertEvent {
  instrument: string;
  volatility: number;
  threshold: number;
  severity: Severity;
  message: string;
  timestamp: string;
}

export interface CorrelationAlertEvent {
  pair1: string;
  pair2: string;
  correlation: number;
  previous: number | null;
  threshold: number;
  severity: Severity;
  message: string;
  timestamp: string;
}

export interface DataReadyEvent {
  data_type: 'candles' | 'volatility' | 'correlation' | 'best_pairs';
  count: number;
  timestamp: string;
}

export interface ChannelPayloads {
  price_updates: PriceUpdateEvent;
  volatility_alerts: VolatilityAlertEvent;
  correlation_alerts: CorrelationAlertEvent;
  data_ready: DataReadyEvent;
}

export interface PriceResponse {
  instrument: string;
  bid: number;
  ask: number;
  mid: number;
  spread: number;
  time: string;
  source: 'stream' | 'candle';
}

export interface ErrorEvent {
  code: string;
  message: string;
}

export interface ServerToClientEvents {
  connection_established: (p: {
    client_id: string;
    server_time: string;
    available_pairs: string[];
  }) => void;
  /**
   * `pairs`: the pairs this request added (normalised, de-duplicated); `pair_count`: how many pairs
   * the socket is subscribed to now in total; `rejected`: names that are malformed or not tracked,
   * as sent. The same shape answers `unsubscribe` (`pairs` removed).
   */
  subscription_confirmed: (p: { pairs: string[]; pair_count: number; rejected: string[] }) => void;
  unsubscription_confirmed: (p: {
    pairs: string[];
    pair_count: number;
    rejected: string[];
  }) => void;
  subscriptions_info: (p: { pairs: string[] }) => void;
  price_response: (p: PriceResponse) => void;
  all_prices_response: (p: { prices: PriceResponse[]; count: number; timestamp: string }) => void;
  server_stats: (p: {
    clients: number;
    rooms: Record<string, number>;
    uptime: number;
    messages_sent: number;
    instance_id: string;
    [extra: string]: unknown;
  }) => void;
  pong: (p: { server_time: string }) => void;
  price_update: (p: PriceUpdateEvent) => void;
  volatility_alert: (p: VolatilityAlertEvent) => void;
  correlation_alert: (p: CorrelationAlertEvent) => void;
  data_ready: (p: DataReadyEvent) => void;
  /**
   * Codes: invalid_payload, invalid_instrument, unknown_instrument, no_price, unknown_event,
   * rate_limited, internal_error. The connection stays up. (A refused connection gets
   * `connect_error` whose message starts with `max_clients:` and whose data is {code, message}.)
   */
  error: (p: ErrorEvent) => void;
}

export interface ClientToServerEvents {
  subscribe: (p: { pairs: string[] | 'all' }) => void;
  unsubscribe: (p: { pairs: string[] | 'all' }) => void;
  get_subscriptions: () => void;
  request_price: (p: { instrument: string }) => void;
  request_all_prices: () => void;
  get_server_stats: () => void;
  ping: () => void;
}

/** Socket.IO room of one instrument. */
export const priceRoom = (instrument: string): string => `price_${instrument}`;
