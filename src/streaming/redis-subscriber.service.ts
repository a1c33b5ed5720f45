import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { EventPublisher } from '../platform/pubsub';
import { parseChannelMessage } from './event-validation';
import { Channel, ChannelPayloads, CHANNELS } from '../platform/pubsub';
import { MarketGateway } from './market.gateway';
import { PUBSUB, type PubSub, type PubSubKind } from '../platform/pubsub';

export interface SubscriberStatus {
  transport: PubSubKind;
  connected: boolean;
  subscribed: boolean;
  channels: string[];
  received: Record<Channel, number>;
  invalid: number;
  last_message_at: string | null;
  reconnects: number;
}

const BOOT_WAIT_MS = 2_000;
/** Invalid messages are logged at most this often (a broken publisher could send thousands per second). */
const INVALID_LOG_MS = 10_000;
/** How often the service status is re-checked besides on connection events (also catches leader changes). */
const STATUS_CHECK_MS = 1_000;

/**
 * Bridges the four live channels (Redis, or in-process in the embedded mode:
 * see PubSubModule) to this instance's sockets. Every instance runs one, and
 * each forwards only to its own clients, so a client gets each message exactly
 * once whichever instance it is on (a Socket.IO Redis adapter on top would
 * deliver everything twice).
 */
@Injectable()
export class RedisSubscriber implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RedisSubscriber.name);
  private readonly byName: Map<string, Channel>;
  private readonly received = Object.fromEntries(
    Object.values(CHANNELS).map((c) => [c, 0]),
  ) as Record<Channel, number>;
  private invalid = 0;
  private lastInvalidLog = 0;
  private lastMessageAt: number | null = null;
  private statusTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly gateway: MarketGateway,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(PUBSUB) private readonly pubsub: PubSub,
  ) {
    this.byName = new Map(Object.values(CHANNELS).map((c) => [publisher.channelName(c), c]));
  }

  /** The live channels are usable for this instance's sockets: connected and subscribed. */
  get live(): boolean {
    const status = this.pubsub.status();
    return status.connected && status.subscribed;
  }

  async onApplicationBootstrap(): Promise<void> {
    // A process without an HTTP server (the CLI) has no sockets to bridge to.
    if (!this.adapterHost.httpAdapter) return;
    this.publisher.deliverLocallyWhileDown((channel, payload) => this.deliver[channel](payload));
    // Polled rather than event-driven: the PubSub port hides the connection (and catches leader changes).
    this.statusTimer = setInterval(() => this.reportStatus(), STATUS_CHECK_MS);
    this.statusTimer.unref();
    // Waits briefly so an app that just booted already receives what is published next; an
    // unreachable Redis does not hold up the boot (the subscription follows when it comes up).
    await this.pubsub.subscribe(
      [...this.byName.keys()],
      (channel, message) => this.onMessage(channel, message),
      BOOT_WAIT_MS,
    );
    this.reportStatus();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.publisher.deliverLocallyWhileDown(null);
    await this.pubsub.close();
  }

  status(): SubscriberStatus {
    return {
      transport: this.pubsub.kind,
      ...this.pubsub.status(),
      channels: [...this.byName.keys()],
      received: { ...this.received },
      invalid: this.invalid,
      last_message_at: this.lastMessageAt ? new Date(this.lastMessageAt).toISOString() : null,
    };
  }

  private reportStatus(): void {
    try {
      this.gateway.refreshServiceStatus(this.live);
    } catch (error) {
      this.logger.warn(`service status update failed: ${(error as Error).message}`);
    }
  }

  private onMessage(name: string, raw: string): void {
    const channel = this.byName.get(name);
    if (!channel) return;
    this.lastMessageAt = Date.now();
    this.received[channel] += 1;
    try {
      this.route(channel, raw);
    } catch (error) {
      // A throw here would surface inside the transport (node-redis' socket handling); contain it.
      this.reject(channel, `delivery failed: ${(error as Error).message}`);
    }
  }

  /** Which broadcast each channel feeds. */
  private readonly deliver: { [C in Channel]: (payload: ChannelPayloads[C]) => void } = {
    price_updates: (p) => this.gateway.broadcastPriceUpdate(p),
    volatility_alerts: (p) => this.gateway.broadcastVolatilityAlert(p),
    correlation_alerts: (p) => this.gateway.broadcastCorrelationAlert(p),
    data_ready: (p) => this.gateway.broadcastDataReady(p),
    alert_triggered: (p) => this.gateway.broadcastAlertTriggered(p),
  };

  private route<C extends Channel>(channel: C, raw: string): void {
    const m = parseChannelMessage(channel, raw);
    if (m.ok) this.deliver[channel](m.payload);
    else this.reject(channel, m.error);
  }

  private reject(channel: Channel, why: string): void {
    this.invalid += 1;
    const now = Date.now();
    if (now - this.lastInvalidLog < INVALID_LOG_MS) return;
    this.lastInvalidLog = now;
    this.logger.warn(`dropped a message on ${channel}: ${why} (${this.invalid} dropped so far)`);
  }
}
