import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { ConsoleLogger, type LogLevel, type ModuleMetadata, type Provider } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { createCache } from 'cache-manager';
import Keyv from 'keyv';
import { AppCacheService } from '../../src/cache/app-cache.service';
import { CacheKeys } from '../../src/cache/cache-keys';
import { CACHE_REDIS_CLIENT } from '../../src/platform/redis/redis.module';
import { AppConfig } from '../../src/platform/config/app-config';
import { RawEnv } from '../../src/platform/config/env.validation';
import { PrometheusService } from '../../src/platform/observability/prometheus.service';
import { EventPublisher } from '../../src/platform/pubsub/event-publisher.service';
import type { ChannelPayloads } from '../../src/platform/pubsub/events';
import { MessageHandler, PUBSUB, PubSub, PubSubStatus } from '../../src/platform/pubsub/pubsub';
import { testEnv } from '../utils/test-env';

/*
 * The service tier: one real service (plus the real pieces it is built from)
 * in a Nest testing module, with fakes only at its edges: the pub/sub port,
 * the cache backend, market data, stores. No PostgreSQL, no Redis: those and
 * the wire contracts are what the e2e tier is for.
 */

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * Compiles a testing module and runs its lifecycle hooks (onModuleInit,
 * onApplicationBootstrap) like an app would. Quiet unless TEST_LOG_LEVEL
 * asks for logs: the services log their decisions, which the tests assert.
 */
export async function compileService(metadata: ModuleMetadata): Promise<TestingModule> {
  const upTo = LEVELS.indexOf((process.env.TEST_LOG_LEVEL ?? 'fatal') as LogLevel);
  const module = await Test.createTestingModule(metadata)
    .setLogger(new ConsoleLogger({ logLevels: LEVELS.slice(0, upTo + 1) }))
    .compile();
  await module.init();
  return module;
}

/** The validated config of a test app (test/utils/test-env.ts), without reading process.env. */
export function testConfig(overrides: RawEnv = {}): AppConfig {
  return AppConfig.fromEnv(testEnv(overrides, 'service'));
}

/** The pub/sub port, recording what was published; `ready = false` plays Redis down. */
export class RecordingPubSub implements PubSub {
  readonly kind = 'in-process' as const;
  ready = true;
  readonly sent: Array<{ channel: string; payload: unknown }> = [];

  async publish(channel: string, message: string): Promise<void> {
    this.sent.push({ channel, payload: JSON.parse(message) as unknown });
  }

  async subscribe(_c: readonly string[], _h: MessageHandler, _w: number): Promise<void> {}

  status(): PubSubStatus {
    return { connected: this.ready, subscribed: false, reconnects: 0 };
  }

  async close(): Promise<void> {}

  /** Payloads published on `channel` (the name without the configured prefix). */
  on<C extends keyof ChannelPayloads>(channel: C): Array<ChannelPayloads[C]> {
    return this.sent
      .filter((m) => m.channel.endsWith(channel))
      .map((m) => m.payload as ChannelPayloads[C]);
  }
}

/** Stands in for the cache's Redis connection: only its readiness is read by AppCacheService. */
export interface FakeRedisLink {
  isReady: boolean;
}

/**
 * The real AppCacheService and CacheKeys over cache-manager's in-memory store
 * (what the app uses without REDIS_URL), with a link whose readiness a test
 * flips to play Redis going down; the real EventPublisher over a recording
 * pub/sub port; and the config.
 */
export function edgeProviders(
  config: AppConfig,
  fakes: { pubsub?: RecordingPubSub; redis?: FakeRedisLink } = {},
): Provider[] {
  return [
    { provide: AppConfig, useValue: config },
    { provide: CACHE_MANAGER, useValue: createCache({ stores: [new Keyv()] }) },
    { provide: CACHE_REDIS_CLIENT, useValue: fakes.redis ?? { isReady: true } },
    { provide: PUBSUB, useValue: fakes.pubsub ?? new RecordingPubSub() },
    PrometheusService,
    CacheKeys,
    AppCacheService,
    EventPublisher,
  ];
}

/** Resolves after `ms` of real time (a loader that takes a while, so concurrent calls overlap). */
export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The advisory locks of one PostgreSQL server, as the leader election sees them through its sessions. */
export class FakeLockServer {
  readonly holders = new Map<string, FakeSession>();

  /** What pg_terminate_backend does to the holder's session: the lock is free, the session dead. */
  killHolder(name: string): void {
    const session = this.holders.get(name);
    if (!session) throw new Error(`nobody holds ${name}`);
    session.dead = true;
    this.holders.delete(name);
  }
}

/** One database session (a TypeORM QueryRunner) answering the advisory-lock SQL of src/database/advisory-lock.ts. */
export class FakeSession {
  dead = false;
  constructor(private readonly server: FakeLockServer) {}

  async connect(): Promise<void> {}

  async query(sql: string, params: unknown[] = []): Promise<unknown[]> {
    if (this.dead) throw new Error('terminating connection due to administrator command');
    if (sql.includes('pg_try_advisory_lock')) {
      const name = String(params[1]);
      const free = !this.server.holders.has(name);
      if (free) this.server.holders.set(name, this);
      return [{ locked: free }];
    }
    if (sql.includes('pg_backend_pid()')) {
      return this.server.holders.get(String(params[0])) === this ? [{ pid: 1 }] : [];
    }
    if (sql.includes('pg_advisory_unlock')) {
      const name = String(params[1]);
      if (this.server.holders.get(name) === this) this.server.holders.delete(name);
      return [{ pg_advisory_unlock: true }];
    }
    throw new Error(`FakeSession does not know ${sql}`);
  }

  /** Ending a session frees its session-level locks, as in PostgreSQL. */
  async release(): Promise<void> {
    for (const [name, holder] of this.server.holders)
      if (holder === this) this.server.holders.delete(name);
  }
}

export interface AuditRow {
  instrument: string;
  bid: string;
  ask: string;
  mid: string;
  timestamp: string;
}

/**
 * The DataSource edge of the price stream: advisory-lock sessions on a
 * FakeLockServer, and the audit INSERT's rows, unpacked from its unnest arrays.
 */
export class FakePriceDataSource {
  readonly auditRows: AuditRow[] = [];
  auditInserts = 0;

  constructor(readonly locks = new FakeLockServer()) {}

  createQueryRunner(): FakeSession {
    return new FakeSession(this.locks);
  }

  async query(sql: string, params: unknown[] = []): Promise<unknown[]> {
    if (!sql.includes('INSERT INTO real_time_prices_audit'))
      throw new Error(`FakePriceDataSource does not know ${sql}`);
    const [instruments, bids, asks, mids, times] = params as string[][];
    this.auditInserts += 1;
    instruments.forEach((instrument, i) =>
      this.auditRows.push({
        instrument,
        bid: bids[i],
        ask: asks[i],
        mid: mids[i],
        timestamp: times[i],
      }),
    );
    return [];
  }
}
