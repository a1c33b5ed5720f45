import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRedisClient, type RedisClient } from '../cache/redis-client';
import { withTimeout } from '../cache/single-flight';
import { AppConfig } from '../config/app-config';
import { EventPublisher } from './event-publisher.service';
import { parseChannelMessage } from './event-validation';
import { Channel, ChannelPayloads, CHANNELS } from './events';
import { MarketGateway } from './market.gateway';

export interface SubscriberStatus {
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
 * Bridges the four Redis channels to this instance's sockets. Every instance
 * runs one, and each forwards only to its own clients, so a client gets each
 * message exactly once whichever instance it is on (a Socket.IO Redis adapter
 * on top would deliver everything twice).
 *
 * Subscriber mode needs a connection of its own. node-redis v5 resubscribes
 * by itself after a reconnect; the first SUBSCRIBE is retried on every
 * `ready` until it succeeds, for when Redis was down at boot.
 */
@Injectable()
export class RedisSubscriber implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RedisSubscriber.name);
  private readonly client: RedisClient;
  private readonly byName: Map<string, Channel>;
  private readonly received = Object.fromEntries(
    Object.values(CHANNELS).map((c) => [c, 0]),
  ) as Record<Channel, number>;
  private subscribed = false;
  private subscribing: Promise<void> | null = null;
  private invalid = 0;
  private lastInvalidLog = 0;
  private lastMessageAt: number | null = null;
  private readies = 0;
  private statusTimer: NodeJS.Timeout | null = null;

  constructor(
    config: AppConfig,
    private readonly publisher: EventPublisher,
    private readonly gateway: MarketGateway,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.client = createRedisClient(config.redis.url, 'subscriber');
    this.byName = new Map(Object.values(CHANNELS).map((c) => [publisher.channelName(c), c]));
    this.client.on('ready', () => {
      this.readies += 1;
      if (!this.subscribed) void this.subscribe();
      else this.reportStatus();
    });
    // node-redis emits these when the connection drops; tell the sockets now rather than at the next check.
    this.client.on('error', () => this.reportStatus());
    this.client.on('end', () => this.reportStatus());
  }

  /** Redis is usable for this instance's sockets: connected and subscribed. */
  get live(): boolean {
    return this.client.isReady && this.subscribed;
  }

  async onApplicationBootstrap(): Promise<void> {
    // A process without an HTTP server (the CLI) has no sockets to bridge to.
    if (!this.adapterHost.httpAdapter) return;
    this.publisher.deliverLocallyWhileDown((channel, payload) => this.deliver[channel](payload));
    this.statusTimer = setInterval(() => this.reportStatus(), STATUS_CHECK_MS);
    this.statusTimer.unref();
    this.client.connect().catch(() => undefined);
    // Wait briefly so an app that just booted already receives what is published next; an
    // unreachable Redis must not hold up the boot though ('ready' subscribes whenever it comes).
    const deadline = Date.now() + BOOT_WAIT_MS;
    while (!this.subscribed && Date.now() < deadline) await sleep(20);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.publisher.deliverLocallyWhileDown(null);
    if (!this.client.isOpen) return;
    if (!this.client.isReady) return this.client.destroy();
    await withTimeout(this.client.close(), 2_000, 'Redis subscriber close').catch(() =>
      this.client.destroy(),
    );
  }

  status(): SubscriberStatus {
    return {
      connected: this.client.isReady,
      subscribed: this.subscribed,
      channels: [...this.byName.keys()],
      received: { ...this.received },
      invalid: this.invalid,
      last_message_at: this.lastMessageAt ? new Date(this.lastMessageAt).toISOString() : null,
      reconnects: Math.max(0, this.readies - 1),
    };
  }

  private subscribe(): Promise<void> {
    this.subscribing ??= this.client
      .subscribe([...this.byName.keys()], (message, channel) => this.onMessage(channel, message))
      .then(() => {
        this.subscribed = true;
        this.logger.log(`subscribed to ${[...this.byName.keys()].join(', ')}`);
        this.reportStatus();
      })
      .catch((error: unknown) => {
        this.logger.warn(`subscribe failed (retried on reconnect): ${(error as Error).message}`);
      })
      .finally(() => {
        this.subscribing = null;
      });
    return this.subscribing;
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
      // A throw here would surface inside node-redis' socket handling; contain it to this message.
      this.reject(channel, `delivery failed: ${(error as Error).message}`);
    }
  }

  /** Which broadcast each channel feeds. */
  private readonly deliver: { [C in Channel]: (payload: ChannelPayloads[C]) => void } = {
    price_updates: (p) => this.gateway.broadcastPriceUpdate(p),
    volatility_alerts: (p) => this.gateway.broadcastVolatilityAlert(p),
    correlation_alerts: (p) => this.gateway.broadcastCorrelationAlert(p),
    data_ready: (p) => this.gateway.broadcastDataReady(p),
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
