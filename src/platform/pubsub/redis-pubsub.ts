import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeRedis, createRedisClient, type RedisClient } from '../redis';
import { MessageHandler, PubSub, PubSubStatus } from './pubsub';

/**
 * Redis channels: publishes go through the app's main connection, the
 * subscription through a connection of its own (subscriber mode needs one).
 * node-redis v5 resubscribes by itself after a reconnect; the first SUBSCRIBE
 * is retried on every `ready` until it succeeds, for when Redis was down at boot.
 */
export class RedisPubSub implements PubSub {
  readonly kind = 'redis' as const;
  private readonly logger = new Logger('RedisSubscriber');
  private subscriber: RedisClient | null = null;
  private subscribed = false;
  private subscribing: Promise<void> | null = null;
  private readies = 0;

  constructor(
    private readonly publisher: RedisClient,
    private readonly url: string,
  ) {}

  get ready(): boolean {
    return this.publisher.isReady;
  }

  async publish(channel: string, message: string): Promise<void> {
    if (!this.publisher.isReady) throw new Error('Redis is not connected');
    await this.publisher.publish(channel, message);
  }

  async subscribe(
    channels: readonly string[],
    onMessage: MessageHandler,
    waitMs: number,
  ): Promise<void> {
    const client = createRedisClient(this.url, 'subscriber');
    this.subscriber = client;
    const trySubscribe = (): Promise<void> => {
      this.subscribing ??= client
        .subscribe([...channels], (message, channel) => onMessage(channel, message))
        .then(() => {
          this.subscribed = true;
          this.logger.log(`subscribed to ${channels.join(', ')}`);
        })
        .catch((error: unknown) => {
          this.logger.warn(`subscribe failed (retried on reconnect): ${(error as Error).message}`);
        })
        .finally(() => {
          this.subscribing = null;
        });
      return this.subscribing;
    };
    client.on('ready', () => {
      this.readies += 1;
      if (!this.subscribed) void trySubscribe();
    });
    client.connect().catch(() => undefined);
    // Wait briefly so an app that just booted already receives what is published next.
    const deadline = Date.now() + waitMs;
    while (!this.subscribed && Date.now() < deadline) await sleep(20);
  }

  status(): PubSubStatus {
    return {
      connected: this.subscriber?.isReady ?? false,
      subscribed: this.subscribed,
      reconnects: Math.max(0, this.readies - 1),
    };
  }

  async close(): Promise<void> {
    await closeRedis(this.subscriber ?? null, 'Redis subscriber close');
  }
}
