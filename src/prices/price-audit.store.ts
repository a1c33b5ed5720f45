import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../platform/config';
import type { PriceTick } from '../market-data';
import { ensureAuditPartitions } from './audit-partitions';
import { AuditSampler } from './audit-sampler';

/** Flush when this many ticks are buffered... */
export const AUDIT_FLUSH_ROWS = 500;
/** ...or this often, whichever comes first. */
export const AUDIT_FLUSH_MS = 1_000;
/** While PostgreSQL is down ticks queue up to this many; beyond it the oldest are dropped (and counted). */
export const AUDIT_MAX_BUFFER = 50_000;

/**
 * The `real_time_prices_audit` trail. Ticks arrive tens per second; they are
 * sampled first (at most one row per instrument per PRICE_AUDIT_INTERVAL_MS,
 * the last price of each interval: see AuditSampler), then buffered and
 * written with one multi-row INSERT (unnest of five arrays: one statement and
 * five parameters whatever the batch size) instead of one round trip per
 * tick. A failed flush keeps its rows for the next one. At boot it creates the
 * hourly partitions of the next hours (the audit-prune job keeps them coming).
 */
@Injectable()
export class PriceAuditService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PriceAuditService.name);
  private buffer: PriceTick[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | null = null;
  private written = 0;
  private dropped = 0;
  private failedFlushes = 0;
  private readonly sampler: AuditSampler;

  constructor(
    private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    this.sampler = new AuditSampler(config.retention.auditIntervalMs);
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      const created = await ensureAuditPartitions(this.dataSource, new Date());
      if (created.length) this.logger.log(`created audit partitions ${created.join(', ')}`);
    } catch (error) {
      // Not fatal: rows go to the default partition and the audit-prune job retries.
      this.logger.warn(`could not create audit partitions: ${(error as Error).message}`);
    }
  }

  add(tick: PriceTick): void {
    this.enqueue(this.sampler.offer(tick));
    this.timer ??= setInterval(() => {
      this.enqueue(this.sampler.due(Date.now()));
      void this.flush();
    }, AUDIT_FLUSH_MS);
  }

  private enqueue(rows: readonly PriceTick[]): void {
    if (rows.length === 0) return;
    this.buffer.push(...rows);
    if (this.buffer.length > AUDIT_MAX_BUFFER) {
      const excess = this.buffer.length - AUDIT_MAX_BUFFER;
      this.buffer.splice(0, excess);
      this.dropped += excess;
    }
    if (this.buffer.length >= AUDIT_FLUSH_ROWS) void this.flush();
  }

  /** Writes what is buffered; concurrent calls share the flush in progress. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.buffer.length === 0) return Promise.resolve();
    const rows = this.buffer;
    this.buffer = [];
    this.flushing = this.insert(rows)
      .then(() => {
        this.written += rows.length;
      })
      .catch((error: unknown) => {
        this.failedFlushes += 1;
        // Put them back in front so order is kept; the cap in add() bounds memory while the database is down.
        this.buffer = rows.concat(this.buffer);
        this.logger.warn(
          `audit flush of ${rows.length} ticks failed (will retry): ${(error as Error).message}`,
        );
      })
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  /** Stops the timer and writes the rest (on shutdown, or when this instance stops leading). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.enqueue(this.sampler.drain());
    await this.flush();
    if (this.buffer.length) await this.flush();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  stats(): {
    buffered: number;
    written: number;
    dropped: number;
    failed_flushes: number;
    sampled_out: number;
  } {
    return {
      sampled_out: this.sampler.sampledOut,
      buffered: this.buffer.length,
      written: this.written,
      dropped: this.dropped,
      failed_flushes: this.failedFlushes,
    };
  }

  private async insert(rows: PriceTick[]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO real_time_prices_audit (instrument, bid, ask, mid, timestamp)
       SELECT * FROM unnest($1::varchar[], $2::numeric[], $3::numeric[], $4::numeric[], $5::timestamptz[])`,
      [
        rows.map((r) => r.instrument),
        rows.map((r) => r.bid),
        rows.map((r) => r.ask),
        rows.map((r) => r.mid),
        rows.map((r) => r.time.toISOString()),
      ],
    );
  }
}
