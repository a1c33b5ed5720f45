import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { REDIS_CLIENT, type RedisClient } from '../cache/redis-client';
import { Channel, ChannelPayloads } from './events';

/**
 * The one typed publisher for the Redis channels. Jobs and the price stream
 * call it; every instance's subscriber bridges the channels to its sockets.
 * A publish while Redis is down is logged and dropped: live events are not
 * worth blocking a job for.
 */
@Injectable()
export class EventPublisher {
  private readonly logger = new Logger(EventPublisher.name);
  private published = 0;
  private failed = 0;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly config: AppConfig,
  ) {}

  channelName(channel: Channel): string {
    return `${this.config.redis.keyPrefix}${channel}`;
  }

  async publish<C extends Channel>(channel: C, payload: ChannelPayloads[C]): Promise<boolean> {
    try {
      await this.redis.publish(this.channelName(channel), JSON.stringify(payload));
      this.published += 1;
      return true;
    } catch (error) {
      this.failed += 1;
      this.logger.warn(`publish to ${channel} failed: ${(error as Error).message}`);
      return false;
    }
  }

  stats(): { published: number; failed: number } {
    return { published: this.published, failed: this.failed };
  }
}
