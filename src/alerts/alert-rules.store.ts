import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { ConditionType } from './alert-conditions';
import { AlertRule } from './alert-rule.entity';
import { returningRows } from './returning-rows';
import type { BuiltinDefinition } from './builtin-rules';

/** A side change to persist: applied only if the rule is still at `expectedVersion`. */
export interface SideWrite {
  id: string;
  expectedVersion: number;
  side: -1 | 1 | null;
  value: number;
}

/** A firing's state change (same version rule), written in the event's transaction. */
export interface FireWrite extends SideWrite {
  at: Date;
  deactivate: boolean;
  /** Built-in rules: the newest source row judged, and the data time of this firing (the cooldown's clock). */
  watermark?: number;
  clock?: Date;
}

/** A built-in rule that judged rows without firing: only its watermark moves. */
export interface WatermarkWrite {
  id: string;
  expectedVersion: number;
  watermark: number;
}

/** A built-in rule as the configuration defines it (builtin-rules.ts), as the store writes it. */
export type BuiltinRuleRow = Omit<BuiltinDefinition, 'kind'> & {
  /** Set on insert only: a new rule judges only source rows stored after it. */
  initialWatermark: number;
};

export type RuleChanges = Partial<
  Pick<
    AlertRule,
    | 'condition'
    | 'conditionType'
    | 'priceComponent'
    | 'frequency'
    | 'cooldownSeconds'
    | 'hysteresis'
    | 'expiresAt'
    | 'webhookUrl'
    | 'webhookSecret'
    | 'message'
    | 'active'
  >
>;

/** alert_rules: the only code that reads or writes the table. */
@Injectable()
export class AlertRulesStore {
  constructor(@InjectRepository(AlertRule) private readonly repo: Repository<AlertRule>) {}

  async insert(rule: AlertRule): Promise<AlertRule> {
    await this.repo.insert(rule);
    return rule;
  }

  countOwned(owner: number): Promise<number> {
    return this.repo.count({ where: { ownerKeyId: owner } });
  }

  findOwned(id: string, owner: number): Promise<AlertRule | null> {
    return this.repo.findOne({ where: { id, ownerKeyId: owner } });
  }

  findById(id: string): Promise<AlertRule | null> {
    return this.repo.findOne({ where: { id } });
  }

  listOwned(owner: number): Promise<AlertRule[]> {
    return this.repo.find({ where: { ownerKeyId: owner }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /**
   * Applies a change; every change bumps `state_version` (a pending firing of
   * the old definition then fails its version check) and, when the condition
   * changed, forgets the side (a new level has no history).
   */
  async update(
    id: string,
    owner: number,
    changes: RuleChanges,
    resetState: boolean,
  ): Promise<AlertRule | null> {
    const result = await this.repo
      .createQueryBuilder()
      .update(AlertRule)
      .set({
        ...changes,
        updatedAt: () => 'now()',
        stateVersion: () => 'state_version + 1',
        ...(resetState ? { stateSide: null, stateValue: null } : {}),
      })
      .where('id = :id AND owner_key_id = :owner', { id, owner })
      .execute();
    return result.affected ? this.findOwned(id, owner) : null;
  }

  async remove(id: string, owner: number): Promise<boolean> {
    const result = await this.repo.delete({ id, ownerKeyId: owner });
    return (result.affected ?? 0) > 0;
  }

  /** Active, unexpired rules of these condition types (optionally changed since `since`, with a margin). */
  active(types: readonly ConditionType[], since?: Date): Promise<AlertRule[]> {
    const q = this.repo
      .createQueryBuilder('r')
      .where('r.condition_type IN (:...types)', { types })
      .andWhere('r.active')
      .andWhere('r.builtin IS NULL')
      .andWhere('(r.expires_at IS NULL OR r.expires_at > now())');
    if (since) q.andWhere('r.updated_at > :since', { since });
    return q.getMany();
  }

  /** Rules (any state) changed after `since`: the stream leader's incremental refresh. */
  changedSince(types: readonly ConditionType[], since: Date): Promise<AlertRule[]> {
    return this.repo
      .createQueryBuilder('r')
      .where('r.condition_type IN (:...types)', { types })
      .andWhere('r.builtin IS NULL')
      .andWhere('r.updated_at > :since', { since })
      .getMany();
  }

  /** The database's clock: refresh watermarks must not depend on this host's. */
  async now(): Promise<Date> {
    const [row] = await this.repo.query<Array<{ now: Date }>>(`SELECT now() AS now`);
    return row.now;
  }

  /** Side changes in one statement; returns the ids whose version did not match (stale in memory). */
  async writeSides(writes: readonly SideWrite[]): Promise<Set<string>> {
    if (writes.length === 0) return new Set();
    const rows = returningRows<{ id: string }>(
      await this.repo.query(
        `UPDATE alert_rules r SET state_side = u.side, state_value = u.value, state_version = r.state_version + 1
       FROM unnest($1::uuid[], $2::int8[], $3::int2[], $4::float8[]) AS u(id, version, side, value)
       WHERE r.id = u.id AND r.state_version = u.version
       RETURNING r.id`,
        [
          writes.map((w) => w.id),
          writes.map((w) => w.expectedVersion),
          writes.map((w) => w.side),
          writes.map((w) => w.value),
        ],
      ),
    );
    const done = new Set(rows.map((r) => r.id));
    return new Set(writes.filter((w) => !done.has(w.id)).map((w) => w.id));
  }

  /** A firing's state change inside the event's transaction; false when the rule moved on (no event then). */
  async markFired(tx: EntityManager, write: FireWrite): Promise<boolean> {
    const rows = returningRows<{ id: string }>(
      await tx.query(
        `UPDATE alert_rules SET state_side = $3, state_value = $4, state_version = state_version + 1,
         last_triggered_at = $5, trigger_count = trigger_count + 1,
         active = CASE WHEN $6::boolean THEN false ELSE active END,
         updated_at = CASE WHEN $6::boolean THEN now() ELSE updated_at END,
         state_watermark = COALESCE($7::int8, state_watermark),
         state_clock = COALESCE($8::timestamptz, state_clock)
       WHERE id = $1 AND state_version = $2 AND active AND (expires_at IS NULL OR expires_at > $5)
       RETURNING id`,
        [
          write.id,
          write.expectedVersion,
          write.side,
          write.value,
          write.at,
          write.deactivate,
          write.watermark ?? null,
          write.clock ?? null,
        ],
      ),
    );
    return rows.length === 1;
  }

  /**
   * Makes the built-in rules what the configuration says, idempotently (two
   * instances booting together converge): new ones are inserted, changed
   * ones updated (their version bumped, their watermark and clock kept, so
   * a changed threshold does not judge old rows again), unchanged ones are
   * not written at all, and built-in rules the configuration no longer has
   * (an instrument dropped from INSTRUMENTS) are deactivated, history kept.
   * Returns how many rows changed.
   */
  async upsertBuiltins(owner: number, rows: readonly BuiltinRuleRow[]): Promise<number> {
    const upserted = returningRows<{ id: string }>(
      await this.repo.query(
        `INSERT INTO alert_rules (id, owner_key_id, builtin, instrument, instrument2, condition_type, condition,
           price_component, frequency, cooldown_seconds, hysteresis, active, state_watermark)
         SELECT gen_random_uuid(), $1, u.builtin, u.instrument, u.instrument2, u.condition->>'type', u.condition,
           'mid', u.frequency, u.cooldown, u.hysteresis, true, u.watermark
         FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::int[], $8::float8[], $9::int8[])
           AS u(builtin, instrument, instrument2, condition, frequency, cooldown, hysteresis, watermark)
         ON CONFLICT (builtin) DO UPDATE SET
           condition = EXCLUDED.condition, condition_type = EXCLUDED.condition_type,
           frequency = EXCLUDED.frequency, cooldown_seconds = EXCLUDED.cooldown_seconds,
           hysteresis = EXCLUDED.hysteresis, active = true, updated_at = now(),
           state_version = alert_rules.state_version + 1
         WHERE (alert_rules.condition, alert_rules.frequency, alert_rules.cooldown_seconds,
                alert_rules.hysteresis, alert_rules.active)
           IS DISTINCT FROM (EXCLUDED.condition, EXCLUDED.frequency, EXCLUDED.cooldown_seconds,
                EXCLUDED.hysteresis, true)
         RETURNING id`,
        [
          owner,
          rows.map((r) => r.builtin),
          rows.map((r) => r.instrument),
          rows.map((r) => r.instrument2),
          rows.map((r) => JSON.stringify(r.condition)),
          rows.map((r) => r.frequency),
          rows.map((r) => r.cooldownSeconds),
          rows.map((r) => r.hysteresis),
          rows.map((r) => r.initialWatermark),
        ],
      ),
    );
    const retired = returningRows<{ id: string }>(
      await this.repo.query(
        `UPDATE alert_rules SET active = false, updated_at = now(), state_version = state_version + 1
         WHERE builtin IS NOT NULL AND active AND NOT (builtin = ANY($1::text[]))
         RETURNING id`,
        [rows.map((r) => r.builtin)],
      ),
    );
    return upserted.length + retired.length;
  }

  /** Active built-in rules of one kind ('volatility' | 'correlation'), in a stable order. */
  builtins(kind: string): Promise<AlertRule[]> {
    return this.repo
      .createQueryBuilder('r')
      .where('r.builtin LIKE :kind', { kind: `${kind}:%` })
      .andWhere('r.active')
      .orderBy('r.builtin', 'ASC')
      .getMany();
  }

  /** Every built-in rule, active or not (the read-only REST view). */
  allBuiltins(): Promise<AlertRule[]> {
    return this.repo
      .createQueryBuilder('r')
      .where('r.builtin IS NOT NULL')
      .orderBy('r.builtin', 'ASC')
      .getMany();
  }

  /** Watermark moves in one statement; returns the ids whose version did not match. */
  async writeWatermarks(writes: readonly WatermarkWrite[]): Promise<Set<string>> {
    if (writes.length === 0) return new Set();
    const rows = returningRows<{ id: string }>(
      await this.repo.query(
        `UPDATE alert_rules r SET state_watermark = u.watermark, state_version = r.state_version + 1
         FROM unnest($1::uuid[], $2::int8[], $3::int8[]) AS u(id, version, watermark)
         WHERE r.id = u.id AND r.state_version = u.version
         RETURNING r.id`,
        [
          writes.map((w) => w.id),
          writes.map((w) => w.expectedVersion),
          writes.map((w) => w.watermark),
        ],
      ),
    );
    const done = new Set(rows.map((r) => r.id));
    return new Set(writes.filter((w) => !done.has(w.id)).map((w) => w.id));
  }

  /** Retention: rules that expired before `cutoff` are gone (their history stays in alert_events). */
  async purgeBefore(cutoff: Date): Promise<number> {
    const result = await this.repo
      .createQueryBuilder()
      .delete()
      .where('expires_at IS NOT NULL AND expires_at < :cutoff', { cutoff })
      .execute();
    return result.affected ?? 0;
  }
}
