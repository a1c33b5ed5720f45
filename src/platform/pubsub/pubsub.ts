/** Which transport carries the live events between the publishers and every instance's sockets. */
export type PubSubKind = 'redis' | 'in-process';

export type MessageHandler = (channel: string, message: string) => void;

export interface PubSubStatus {
  /** The receiving side is connected (always true in-process). */
  connected: boolean;
  subscribed: boolean;
  /** Times the receiving side reconnected after losing its connection. */
  reconnects: number;
}

/**
 * The port the publisher and the subscriber talk through. Redis when
 * REDIS_URL is set (many instances share the channels), in-process otherwise
 * (one instance: publishes reach this process' sockets only). Picked once, in
 * PubSubModule; nothing else knows which one runs.
 */
export interface PubSub {
  readonly kind: PubSubKind;
  /** False while a publish would fail at once (Redis down). */
  readonly ready: boolean;
  publish(channel: string, message: string): Promise<void>;
  /**
   * Delivers `channels` to `onMessage` from now on, resubscribing after
   * reconnects. Waits at most `waitMs` for the subscription to be active: an
   * unreachable Redis must not hold up the boot.
   */
  subscribe(channels: readonly string[], onMessage: MessageHandler, waitMs: number): Promise<void>;
  status(): PubSubStatus;
  /** Closes what `subscribe` opened (the publishing side belongs to whoever created it). */
  close(): Promise<void>;
}

export const PUBSUB = Symbol('PUBSUB');
