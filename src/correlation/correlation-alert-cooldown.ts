import { Inject, Injectable, Logger } from '@nestjs/common';
import { REDIS_CLIENT, type RedisClient } from '../platform/redis';
import { withTimeout } from '../platform/time';
import { AppConfig } from '../platform/config';

const OP_TIMEOUT_MS = 1_000;
const DAY_SECONDS = 86_400;

/**
 * When each pair last raised a correlation_alert, kept in Redis under
 * REDIS_KEY_PREFIX (`correlation_alert_last:<pair1>|<pair2>`, not a cache
 * kind, so `cache:clear` leaves it) so the cooldown survives a restart and
 * holds across instances. The value is the alert's calculation time (ms),
 * the clock the cooldown is measured on. Redis down: no state is known and the
 * alert goes out (it would not reach anyone through a down Redis anyway).
 * Without Redis (the embedded mode, one instance) the times are kept in this
 * process: the cooldown then holds until a restart.
 */
@Injectable()
export class CorrelationAlertCooldown {
  private readonly logger = new Logger(CorrelationAlertCooldown.name);

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient | null,
    private readonly config: AppConfig,
  ) {}

  /** The embedded mode's store (no REDIS_URL): key -> last alert time (ms). */
  private readonly local = new Map<string, number>();

  key(pair1: string, pair2: string): string {
    return `${this.config.redis.keyPrefix}correlation_alert_last:${pair1}|${pair2}`;
  }

  /** Last alert time (ms) per `pair1|pair2`; pairs without one are absent. */
  async lastAlerts(
    pairs: ReadonlyArray<{ pair1: string; pair2: string }>,
  ): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    if (!this.redis) {
      for (const p of pairs) {
        const ms = this.local.get(this.key(p.pair1, p.pair2));
        if (ms !== undefined) found.set(`${p.pair1}|${p.pair2}`, ms);
      }
      return found;
    }
    if (pairs.length === 0 || !this.redis.isReady) return found;
    try {
      const values = await withTimeout(
        this.redis.mGet(pairs.map((p) => this.key(p.pair1, p.pair2))),
        OP_TIMEOUT_MS,
        'MGET',
      );
      values.forEach((value, i) => {
        const ms = Number(value);
        if (value !== null && Number.isFinite(ms))
          found.set(`${pairs[i].pair1}|${pairs[i].pair2}`, ms);
      });
    } catch (error) {
      this.logger.warn(`could not read alert cooldowns: ${(error as Error).message}`);
    }
    return found;
  }

  /** Records an alert; the key expires a day after the cooldown would (the clocks may differ by that much). */
  async mark(pair1: string, pair2: string, atMs: number): Promise<void> {
    const hours = this.config.analytics.correlationAlertCooldownHours;
    if (hours <= 0) return;
    if (!this.redis) {
      this.local.set(this.key(pair1, pair2), atMs);
      return;
    }
    if (!this.redis.isReady) return;
    try {
      await withTimeout(
        this.redis.set(this.key(pair1, pair2), String(atMs), { EX: hours * 3600 + DAY_SECONDS }),
        OP_TIMEOUT_MS,
        'SET',
      );
    } catch (error) {
      this.logger.warn(`could not record the alert cooldown: ${(error as Error).message}`);
    }
  }
}
