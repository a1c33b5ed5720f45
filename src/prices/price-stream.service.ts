import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { AppCacheService } from '../cache';
import { CacheKeys } from '../cache';
import { AppConfig } from '../platform/config';
import type { PriceStreamEvent, PriceTick } from '../market-data';
import { MarketDataService } from '../market-data';
import { EventPublisher } from '../platform/pubsub';
import { LeaderElection } from '../platform/locks';
import { PriceAuditService } from './price-audit.store';
import { PriceTickHooks } from './price-tick-hooks';
import { CachedPrice } from './prices.service';

export const PRICE_STREAM_LOCK = 'price-stream-leader';
/** A follower retries the leader lock this often, so a takeover happens within ~2 s of the leader dying. */
export const LEADER_RETRY_MS = 2_000;
/** The leader checks this often that its lock session is still alive: the longest a lost lock can leave two streams. */
export const LEADER_VERIFY_MS = 1_000;
const RESTART_BASE_MS = 1_000;
const RESTART_MAX_MS = 30_000;

export interface PriceStreamStatus {
  enabled: boolean;
  leader: boolean;
  instance_id: string;
  provider: string;
  connected: boolean;
  ticks_received: number;
  restarts: number;
  last_tick_at: string | null;
  last_heartbeat_at: string | null;
  /** Per tracked instrument: ms since its last tick on this instance; null if none yet. */
  last_tick_age_ms: Record<string, number | null>;
  audit: ReturnType<PriceAuditService['stats']>;
}

/**
 * The live price stream, on exactly one instance (leader lock): each tick is
 * cached as `price:<I>`, buffered into the audit table and published on
 * `price_updates`, which every instance's gateway forwards to its sockets.
 * The provider iterator reconnects by itself; if it throws or ends anyway
 * the loop restarts it with capped exponential backoff.
 */
@Injectable()
export class PriceStreamService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PriceStreamService.name);
  private readonly election: LeaderElection;
  private connected = false;
  private ticks = 0;
  private restarts = 0;
  private lastTickAt: number | null = null;
  private lastHeartbeatAt: number | null = null;
  private readonly lastTickByInstrument = new Map<string, number>();

  constructor(
    private readonly config: AppConfig,
    dataSource: DataSource,
    private readonly marketData: MarketDataService,
    private readonly cache: AppCacheService,
    private readonly keys: CacheKeys,
    private readonly publisher: EventPublisher,
    private readonly audit: PriceAuditService,
    private readonly tickHooks: PriceTickHooks,
  ) {
    this.election = new LeaderElection({
      dataSource,
      lockName: PRICE_STREAM_LOCK,
      retryMs: LEADER_RETRY_MS,
      verifyMs: LEADER_VERIFY_MS,
      lead: (signal) => this.stream(signal),
      logger: this.logger,
    });
  }

  get enabled(): boolean {
    return this.config.market.priceStreamEnabled;
  }

  get isLeader(): boolean {
    return this.election.isLeader;
  }

  /** How many times this instance became leader (a step-down and re-election counts twice). */
  get timesElected(): number {
    return this.election.timesElected;
  }

  /** Leader-lock checks of this instance so far (attempts as a follower, verifications as the leader). */
  get lockChecks(): number {
    return this.election.lockChecks;
  }

  onApplicationBootstrap(): void {
    if (this.enabled) this.election.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.election.stop();
    await this.audit.stop();
  }

  /** For health: is this instance streaming, and how fresh is each instrument. */
  status(): PriceStreamStatus {
    const now = Date.now();
    const ages: Record<string, number | null> = {};
    for (const instrument of this.config.market.instruments) {
      const at = this.lastTickByInstrument.get(instrument);
      ages[instrument] = at === undefined ? null : now - at;
    }
    return {
      enabled: this.enabled,
      leader: this.isLeader,
      instance_id: this.config.app.instanceId,
      provider: this.marketData.providerName,
      connected: this.isLeader && this.connected,
      ticks_received: this.ticks,
      restarts: this.restarts,
      last_tick_at: this.lastTickAt ? new Date(this.lastTickAt).toISOString() : null,
      last_heartbeat_at: this.lastHeartbeatAt ? new Date(this.lastHeartbeatAt).toISOString() : null,
      last_tick_age_ms: ages,
      audit: this.audit.stats(),
    };
  }

  /** The leader's loop: consume the provider stream until `signal` aborts, restarting it on failure. */
  private async stream(signal: AbortSignal): Promise<void> {
    const instruments = this.config.market.instruments;
    let failures = 0;
    this.tickHooks.leading();
    while (!signal.aborted) {
      try {
        for await (const event of this.marketData.streamPrices({ instruments, signal })) {
          failures = 0;
          this.onEvent(event);
        }
        if (!signal.aborted) throw new Error('provider price stream ended');
      } catch (error) {
        if (signal.aborted) break;
        this.connected = false;
        this.restarts += 1;
        const delay =
          Math.min(RESTART_BASE_MS * 2 ** failures, RESTART_MAX_MS) + Math.random() * 250;
        failures += 1;
        this.logger.warn(
          `price stream failed (${(error as Error).message}); restarting in ${Math.round(delay)} ms`,
        );
        await sleep(delay, undefined, { signal }).catch(() => undefined);
      }
    }
    this.connected = false;
    await this.tickHooks.stepDown();
    await this.audit.flush();
  }

  private onEvent(event: PriceStreamEvent): void {
    switch (event.type) {
      case 'price':
        this.onTick(event.tick);
        break;
      case 'heartbeat':
        this.connected = true;
        this.lastHeartbeatAt = Date.now();
        break;
      case 'status':
        if (this.connected !== event.connected)
          this.logger.log(
            `provider stream ${event.connected ? 'connected' : 'disconnected'}${event.reason ? `: ${event.reason}` : ''}`,
          );
        this.connected = event.connected;
        break;
    }
  }

  private onTick(tick: PriceTick): void {
    const now = Date.now();
    this.connected = true;
    this.ticks += 1;
    this.lastTickAt = now;
    this.lastTickByInstrument.set(tick.instrument, now);
    const price: CachedPrice = {
      instrument: tick.instrument,
      bid: Number(tick.bid),
      ask: Number(tick.ask),
      mid: Number(tick.mid),
      time: tick.time.toISOString(),
      source: 'stream',
    };
    this.audit.add(tick);
    this.tickHooks.tick(tick);
    const { key, ttl } = this.keys.price(tick.instrument);
    // Neither call throws (both log and report failure), and the stream must not wait on Redis.
    void this.cache.set(key, price, ttl);
    void this.publisher.publish('price_updates', {
      instrument: tick.instrument,
      price: { bid: price.bid, ask: price.ask, mid: price.mid, time: price.time },
      timestamp: new Date(now).toISOString(),
    });
  }
}
