import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config';
import { withTimeout } from '../time';
import { PUBSUB, type PubSub } from './pubsub';
import { type Channel, type ChannelPayloads, CHANNELS, type DataReadyEvent } from './events';

const PUBLISH_TIMEOUT_MS = 1_000;

/** Delivers a message to this instance's own sockets, as the Redis subscriber would. */
export type LocalDelivery = <C extends Channel>(channel: C, payload: ChannelPayloads[C]) => void;
const FAILURE_LOG_INTERVAL_MS = 10_000;

/**
 * The one typed publisher for the live channels (Redis, or in-process in the
 * embedded mode). Jobs and the price stream call it; every instance's
 * subscriber bridges the channels to its sockets. A publish while Redis is
 * down (or not answering within a second) is logged and dropped: live events
 * are not worth blocking a job for. Dropped for the other instances, that is:
 * when Redis is known to be down before the PUBLISH is even sent, the message
 * goes straight to this instance's own sockets (the stream leader's clients
 * keep their prices). Never after a PUBLISH was attempted: a timed-out one may
 * still have gone out, and the subscriber would then deliver it a second time.
 */
@Injectable()
export class EventPublisher {
  private readonly logger = new Logger(EventPublisher.name);
  private published = 0;
  private failed = 0;
  private unlogged = 0;
  private lastFailureLog = 0;
  private local: LocalDelivery | null = null;

  constructor(
    @Inject(PUBSUB) private readonly pubsub: PubSub,
    private readonly config: AppConfig,
  ) {}

  channelName(channel: Channel): string {
    return `${this.config.redis.keyPrefix}${channel}`;
  }

  /** Set by the Redis subscriber of a process that has sockets (not by the CLI). */
  deliverLocallyWhileDown(local: LocalDelivery | null): void {
    this.local = local;
  }

  async publish<C extends Channel>(channel: C, payload: ChannelPayloads[C]): Promise<boolean> {
    try {
      // Fail fast while disconnected, and never let a hung Redis hang the caller (a job, the price stream).
      if (!this.pubsub.ready) {
        this.local?.(channel, payload);
        throw new Error(
          `Redis is not connected${this.local ? ' (delivered to this instance only)' : ''}`,
        );
      }
      await withTimeout(
        this.pubsub.publish(this.channelName(channel), JSON.stringify(payload)),
        PUBLISH_TIMEOUT_MS,
        'PUBLISH',
      );
      this.published += 1;
      return true;
    } catch (error) {
      this.failed += 1;
      this.logFailure(channel, (error as Error).message);
      return false;
    }
  }

  /** While Redis is down the price stream fails ~80 publishes a second: log the first, then a count per interval. */
  private logFailure(channel: Channel, message: string): void {
    const now = Date.now();
    this.unlogged += 1;
    if (now - this.lastFailureLog < FAILURE_LOG_INTERVAL_MS) return;
    this.logger.warn(
      `publish to ${channel} failed: ${message}` +
        (this.unlogged > 1 ? ` (${this.unlogged} publishes failed since the last report)` : ''),
    );
    this.lastFailureLog = now;
    this.unlogged = 0;
  }

  /** `data_ready` for `count` new or changed rows of a kind; nothing when nothing changed. */
  async dataReady(dataType: DataReadyEvent['data_type'], count: number): Promise<boolean> {
    if (count <= 0) return false;
    return this.publish(CHANNELS.dataReady, {
      data_type: dataType,
      count,
      timestamp: new Date().toISOString(),
    });
  }

  stats(): { published: number; failed: number } {
    return { published: this.published, failed: this.failed };
  }
}
