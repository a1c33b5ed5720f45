import { EventEmitter } from 'node:events';
import { MessageHandler, PubSub, PubSubStatus } from './pubsub';

/**
 * Pub/sub inside one process, for the embedded mode (REDIS_URL unset).
 * Delivery is asynchronous like Redis', so a publisher never runs the
 * subscribers' socket work inside its own call.
 */
export class InProcessPubSub implements PubSub {
  readonly kind = 'in-process' as const;
  readonly ready = true;
  private readonly bus = new EventEmitter();
  private subscribed = false;

  constructor() {
    // One listener per channel; no leak warning for a handful of channels.
    this.bus.setMaxListeners(0);
  }

  publish(channel: string, message: string): Promise<void> {
    setImmediate(() => this.bus.emit(channel, channel, message));
    return Promise.resolve();
  }

  subscribe(channels: readonly string[], onMessage: MessageHandler): Promise<void> {
    for (const channel of channels) this.bus.on(channel, onMessage);
    this.subscribed = true;
    return Promise.resolve();
  }

  status(): PubSubStatus {
    return { connected: true, subscribed: this.subscribed, reconnects: 0 };
  }

  close(): Promise<void> {
    this.bus.removeAllListeners();
    this.subscribed = false;
    return Promise.resolve();
  }
}
