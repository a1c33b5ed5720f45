import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AlertWebhookOutbox } from './alert-webhook-outbox.entity';
import { returningRows } from './returning-rows';

export interface ClaimedDelivery {
  eventId: string;
  url: string;
  secret: string;
  body: string;
  attempts: number;
  giveUpAt: Date;
}

/** alert_webhook_outbox: the only code that reads or writes the table. */
@Injectable()
export class AlertWebhookOutboxStore {
  constructor(
    @InjectRepository(AlertWebhookOutbox) private readonly repo: Repository<AlertWebhookOutbox>,
  ) {}

  async insert(
    tx: EntityManager,
    row: Omit<AlertWebhookOutbox, 'createdAt' | 'leaseUntil' | 'attempts'>,
  ): Promise<void> {
    await tx.insert(AlertWebhookOutbox, { ...row, attempts: 0, leaseUntil: null });
  }

  /**
   * Takes up to `limit` due rows for this instance: FOR UPDATE SKIP LOCKED
   * lets two instances claim at once without taking the same row, and the
   * lease (not a held transaction) keeps it theirs while the POST runs; a
   * row whose claimer died becomes due again when its lease ends.
   */
  async claim(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    if (limit <= 0) return [];
    const rows = returningRows<{
      event_id: string;
      url: string;
      secret: string;
      body: string;
      attempts: number;
      give_up_at: Date;
    }>(
      await this.repo.query(
        `UPDATE alert_webhook_outbox o SET lease_until = now() + make_interval(secs => $2::float8 / 1000)
       WHERE o.event_id IN (
         SELECT event_id FROM alert_webhook_outbox
         WHERE next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
         ORDER BY next_attempt_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED)
       RETURNING o.event_id, o.url, o.secret, o.body, o.attempts, o.give_up_at`,
        [limit, leaseMs],
      ),
    );
    return rows.map((r) => ({
      eventId: r.event_id,
      url: r.url,
      secret: r.secret,
      body: r.body,
      attempts: r.attempts,
      giveUpAt: r.give_up_at,
    }));
  }

  /** After a failed attempt: try again at `nextAt`. */
  async reschedule(eventId: string, attempts: number, nextAt: Date): Promise<void> {
    await this.repo.update({ eventId }, { attempts, nextAttemptAt: nextAt, leaseUntil: null });
  }

  async remove(eventId: string): Promise<void> {
    await this.repo.delete({ eventId });
  }

  /** Milliseconds until the next row is due (0 when one is due now), or null when the outbox is empty. */
  async msUntilNextDue(): Promise<number | null> {
    const [row] = await this.repo.query<Array<{ ms: number | null }>>(
      `SELECT EXTRACT(EPOCH FROM (min(GREATEST(next_attempt_at, COALESCE(lease_until, next_attempt_at))) - now())) * 1000 AS ms
       FROM alert_webhook_outbox`,
    );
    return row?.ms === null || row?.ms === undefined ? null : Math.max(0, Number(row.ms));
  }

  async count(): Promise<number> {
    return this.repo.count();
  }

  /** Retention: rows older than `cutoff` would have been given up long ago. */
  async purgeBefore(cutoff: Date): Promise<number> {
    const result = await this.repo
      .createQueryBuilder()
      .delete()
      .where('created_at < :cutoff', { cutoff })
      .execute();
    return result.affected ?? 0;
  }
}
