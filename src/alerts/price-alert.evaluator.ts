import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../platform/config';
import type { PriceTick } from '../market-data';
import { PRICE_CONDITIONS } from './alert-conditions';
import { AlertFiring, type FireRequest } from './alert-firing.service';
import type { AlertRule } from './alert-rule.entity';
import { AlertRulesStore, type SideWrite } from './alert-rules.store';
import { PriceRuleIndex, type IndexedRule } from './price-rule-index';
import { indexedRuleOf, isLive } from './rule-runtime';

/** Deleted rules (which the incremental refresh cannot see) leave the index within this long. */
const FULL_RESYNC_MS = 30_000;
/** Rows changed in the same instant as the watermark are read again rather than missed. */
const WATERMARK_OVERLAP_MS = 2_000;

interface Known {
  rule: AlertRule;
  /** The version the next write of this rule must find (optimistic: bumped as writes are queued). */
  version: number;
}

/**
 * Price rules on the stream leader. Ticks are evaluated synchronously in the
 * level index; what changed is queued and written in order (one transaction
 * per batch, each write checked against the rule's version, so a rule that
 * changed meanwhile, or another leader's write, never yields a second event).
 * The state in alert_rules is where a new leader starts from.
 */
@Injectable()
export class PriceAlertEvaluator {
  private readonly logger = new Logger(PriceAlertEvaluator.name);
  readonly index = new PriceRuleIndex();
  private readonly known = new Map<string, Known>();
  private loaded = false;
  private isLeading = false;
  private pendingSides: SideWrite[] = [];
  private pendingFires: FireRequest[] = [];
  private flushScheduled = false;
  private writing: Promise<void> = Promise.resolve();
  private refreshTimer: NodeJS.Timeout | null = null;
  private watermark: Date | null = null;
  private lastFullSync = 0;
  private refreshing: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly store: AlertRulesStore,
    private readonly firing: AlertFiring,
  ) {}

  get isLoaded(): boolean {
    return this.loaded;
  }

  /** The stream leader starts: load every live price rule, then keep up with changes. */
  leading(): void {
    if (this.isLeading) return;
    this.isLeading = true;
    this.loaded = false;
    void this.refresh();
  }

  async stepDown(): Promise<void> {
    this.isLeading = false;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
    await this.flush();
    this.index.clear();
    this.known.clear();
    this.loaded = false;
    this.watermark = null;
  }

  /** One live tick (leader only). Before the rules are loaded it is skipped: the stored sides catch up on the next one. */
  tick(tick: PriceTick): void {
    if (!this.loaded) return;
    const result = this.index.evaluate({
      instrument: tick.instrument,
      bid: Number(tick.bid),
      ask: Number(tick.ask),
      mid: Number(tick.mid),
      timeMs: tick.time.getTime(),
    });
    if (result.fired.length === 0 && result.moved.length === 0) return;
    const at = tick.time;
    for (const { rule, value } of result.fired) {
      const known = this.known.get(rule.id);
      if (!known) continue;
      const write = this.nextWrite(known, rule, value);
      this.pendingFires.push({
        rule: known.rule,
        value,
        at,
        write: { ...write, at, deactivate: known.rule.frequency === 'once' },
      });
    }
    for (const { rule, value } of result.moved) {
      const known = this.known.get(rule.id);
      if (known) this.pendingSides.push(this.nextWrite(known, rule, value));
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // One write per tick burst, not per tick.
      setImmediate(() => void this.flush());
    }
  }

  private nextWrite(known: Known, rule: IndexedRule, value: number): SideWrite {
    const write = {
      id: rule.id,
      expectedVersion: known.version,
      side: rule.side === 0 ? null : rule.side,
      value,
    };
    known.version += 1;
    return write;
  }

  /** Writes what the ticks so far changed (in order); resolves when it is stored. */
  flush(): Promise<void> {
    this.flushScheduled = false;
    const sides = this.pendingSides;
    const fires = this.pendingFires;
    this.pendingSides = [];
    this.pendingFires = [];
    if (sides.length === 0 && fires.length === 0) return this.writing;
    this.writing = this.writing.then(async () => {
      try {
        // Sides first: a rule's side change queued before its firing carries the earlier version.
        const staleSides = await this.store.writeSides(sides);
        const { stale } = await this.firing.fire(fires);
        const reload = new Set([...staleSides, ...stale]);
        if (reload.size) await Promise.all([...reload].map((id) => this.reload(id)));
      } catch (error) {
        // Lost writes: reload those rules, so memory matches what is stored and nothing fires twice.
        this.logger.error(`storing alert state failed: ${(error as Error).message}`);
        await Promise.all(
          [...sides.map((s) => s.id), ...fires.map((f) => f.rule.id)].map((id) => this.reload(id)),
        ).catch(() => undefined);
      }
    });
    return this.writing;
  }

  /**
   * Re-reads changed rules (the REST side calls it after a change on this
   * instance). A refresh already running may have read before that change,
   * so one more is queued behind it; callers then share that one.
   */
  refresh(): Promise<void> {
    if (!this.isLeading) return Promise.resolve();
    if (this.queued) return this.queued;
    const previous = this.refreshing ?? Promise.resolve();
    const next = previous.then(() => {
      this.queued = null;
      return this.doRefresh();
    });
    this.queued = next;
    this.refreshing = next.finally(() => {
      if (this.refreshing !== tracked) return;
      this.refreshing = null;
      if (this.isLeading) {
        if (this.refreshTimer) clearTimeout(this.refreshTimer);
        this.refreshTimer = setTimeout(() => void this.refresh(), this.config.alerts.refreshMs);
        this.refreshTimer.unref();
      }
    });
    const tracked = this.refreshing;
    return next;
  }

  private async doRefresh(): Promise<void> {
    try {
      const now = await this.store.now();
      const full = !this.watermark || now.getTime() - this.lastFullSync >= FULL_RESYNC_MS;
      const since = this.watermark
        ? new Date(this.watermark.getTime() - WATERMARK_OVERLAP_MS)
        : null;
      const rows = full
        ? await this.store.active(PRICE_CONDITIONS)
        : await this.store.changedSince(PRICE_CONDITIONS, since!);
      if (full) {
        const ids = new Set(rows.map((r) => r.id));
        for (const id of [...this.known.keys()]) if (!ids.has(id)) this.drop(id);
        this.lastFullSync = now.getTime();
      }
      for (const row of rows) this.apply(row, now.getTime());
      this.watermark = now;
      this.loaded = true;
    } catch (error) {
      this.logger.warn(`loading price alert rules failed (retrying): ${(error as Error).message}`);
    }
  }

  /** Takes a stored rule in, unless memory already has this very version of its definition. */
  private apply(row: AlertRule, nowMs: number): void {
    const current = this.known.get(row.id);
    if (current && current.rule.updatedAt.getTime() === row.updatedAt.getTime()) return;
    if (!isLive(row, nowMs)) return this.drop(row.id);
    this.known.set(row.id, { rule: row, version: row.stateVersion });
    this.index.upsert(indexedRuleOf(row));
  }

  private async reload(id: string): Promise<void> {
    const row = await this.store.findById(id);
    this.drop(id);
    if (row && isLive(row, Date.now())) {
      this.known.set(id, { rule: row, version: row.stateVersion });
      this.index.upsert(indexedRuleOf(row));
    }
  }

  /** A rule deleted on this instance leaves the index now (elsewhere: at the next full resync; it cannot fire meanwhile). */
  forget(id: string): void {
    this.drop(id);
  }

  private drop(id: string): void {
    this.known.delete(id);
    this.index.remove(id);
  }
}
