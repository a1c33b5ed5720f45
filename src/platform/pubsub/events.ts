/**
 * The event contract shared by publishers, the Redis bridge, the Socket.IO
 * gateway and tests (DESIGN.md section 6). Change it here, nowhere else.
 */

export const CHANNELS = {
  priceUpdates: 'price_updates',
  volatilityAlerts: 'volatility_alerts',
  correlationAlerts: 'correlation_alerts',
  dataReady: 'data_ready',
  alertTriggered: 'alert_triggered',
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

/** What a batched socket gets instead of `price_update`: the newest price of each of its pairs that ticked in one burst. */
export interface PriceBatchEvent {
  prices: PriceUpdateEvent[];
  /** ISO-8601 UTC time the batch was sent. */
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

/** A user alert firing (DESIGN.md section 12), to the owner's sockets only. */
export interface AlertTriggeredEvent {
  rule_id: string;
  /** The instrument, or `PAIR1/PAIR2` for a correlation rule. */
  instrument: string;
  /** The rule's condition: `type` and its parameters. */
  condition: { type: string; [parameter: string]: unknown };
  value: number;
  message: string;
  triggered_at: string;
}

/** On the `alert_triggered` channel: the event and whose sockets get it (never sent to clients). */
export interface AlertTriggeredMessage {
  owner_key_id: number;
  event: AlertTriggeredEvent;
}

export interface ChannelPayloads {
  price_updates: PriceUpdateEvent;
  volatility_alerts: VolatilityAlertEvent;
  correlation_alerts: CorrelationAlertEvent;
  data_ready: DataReadyEvent;
  alert_triggered: AlertTriggeredMessage;
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
  /** The client event that caused it (bounded; a number is given as its decimal text). */
  event: string;
}

/** What an acknowledgement callback gets instead of the reply payload when the request failed. */
export interface AckError {
  error: { code: string; message: string };
}

/** The acknowledgement callback a client may pass as the last argument of any request event. */
export type Ack<T> = (reply: T | AckError) => void;

/**
 * Whether live events can reach this instance's sockets. `redis` is this
 * instance's pub/sub connection; `live_prices` is false while price_update
 * cannot arrive (Redis down, unless this instance streams and delivers to its
 * own sockets directly).
 */
export interface ServiceStatusEvent {
  redis: 'up' | 'down';
  live_prices: boolean;
  timestamp: string;
}

export interface ConnectionEstablishedEvent {
  client_id: string;
  server_time: string;
  available_pairs: string[];
  /** The pairs this socket is subscribed to right now (from `auth.pairs`, or restored rooms). */
  pairs: string[];
  /** Handshake `auth.pairs` entries that are malformed or not tracked, as sent (bounded). */
  rejected: string[];
  service_status: ServiceStatusEvent;
}

/** `pairs`: what this request changed; `pair_count`: the socket's total now; `rejected`: bad names as sent. */
export interface SubscriptionChange {
  pairs: string[];
  pair_count: number;
  rejected: string[];
}

export interface ServerStats {
  clients: number;
  rooms: Record<string, number>;
  uptime: number;
  messages_sent: number;
  instance_id: string;
  [extra: string]: unknown;
}

export interface ServerToClientEvents {
  connection_established: (p: ConnectionEstablishedEvent) => void;
  /**
   * `pairs`: the pairs this request added (not those the socket already had); `pair_count`: how
   * many pairs the socket is subscribed to now in total; `rejected`: names that are malformed or
   * not tracked, as sent.
   */
  subscription_confirmed: (p: SubscriptionChange) => void;
  /** `pairs`: the pairs this request removed (only pairs the socket had); otherwise as above. */
  unsubscription_confirmed: (p: SubscriptionChange) => void;
  subscriptions_info: (p: { pairs: string[] }) => void;
  price_response: (p: PriceResponse) => void;
  all_prices_response: (p: { prices: PriceResponse[]; count: number; timestamp: string }) => void;
  server_stats: (p: ServerStats) => void;
  pong: (p: { server_time: string }) => void;
  price_update: (p: PriceUpdateEvent) => void;
  /** Instead of price_update, to sockets that subscribed with `batch: true`: at most one per tick burst. */
  price_batch: (p: PriceBatchEvent) => void;
  volatility_alert: (p: VolatilityAlertEvent) => void;
  correlation_alert: (p: CorrelationAlertEvent) => void;
  data_ready: (p: DataReadyEvent) => void;
  /** A rule of this socket's API key fired (room `owner_<key id>`; never another key's). */
  alert_triggered: (p: AlertTriggeredEvent) => void;
  /** To every socket of this instance whenever `redis` or `live_prices` changes. */
  service_status: (p: ServiceStatusEvent) => void;
  /**
   * Codes: invalid_payload, invalid_instrument, unknown_instrument, no_price, unknown_event,
   * rate_limited, internal_error. `event` names the client event that caused it. The connection
   * stays up. (A refused connection gets `connect_error` whose message starts with `max_clients:`
   * and whose data is {code, message}.)
   */
  error: (p: ErrorEvent) => void;
}

/**
 * Every request also answers through the acknowledgement callback when the
 * client passes one (`emitWithAck`): the reply event's payload, or AckError.
 */
export interface ClientToServerEvents {
  /** `batch: true` switches the socket to `price_batch`, `false` back to `price_update`; absent keeps it. */
  subscribe: (
    p: { pairs: string[] | 'all'; batch?: boolean },
    ack?: Ack<SubscriptionChange>,
  ) => void;
  unsubscribe: (p: { pairs: string[] | 'all' }, ack?: Ack<SubscriptionChange>) => void;
  get_subscriptions: (ack?: Ack<{ pairs: string[] }>) => void;
  request_price: (p: { instrument: string }, ack?: Ack<PriceResponse>) => void;
  request_all_prices: (
    ack?: Ack<{ prices: PriceResponse[]; count: number; timestamp: string }>,
  ) => void;
  get_server_stats: (ack?: Ack<ServerStats>) => void;
  ping: (ack?: Ack<{ server_time: string }>) => void;
}

/** What a client may put in its handshake (`io(url, {auth})`); other keys are someone else's. */
export interface HandshakeAuth {
  /** Subscribed at connect, so a reconnect after a server restart restores the rooms. */
  pairs?: string[] | 'all';
  /** Restores batched delivery (see `subscribe`) with the rooms. */
  batch?: boolean;
  [other: string]: unknown;
}

/** Socket.IO room of one instrument. */
export const priceRoom = (instrument: string): string => `price_${instrument}`;

/** Socket.IO room of one API key's sockets (0: the implicit owner when AUTH_MODE=off). */
export const ownerRoom = (ownerKeyId: number): string => `owner_${ownerKeyId}`;
