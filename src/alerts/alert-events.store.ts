import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AlertEvent, type DeliveryStatus } from './alert-event.entity';

export interface EventPage {
  rows: AlertEvent[];
  /** Position after the last row, or null when there are no more. */
  next: { at: Date; id: string } | null;
}

/** alert_events: the only code that reads or writes the table. */
@Injectable()
export class AlertEventsStore {
  constructor(@InjectRepository(AlertEvent) private readonly repo: Repository<AlertEvent>) {}

  async insert(tx: EntityManager, event: AlertEvent): Promise<void> {
    await tx.insert(AlertEvent, event);
  }

  /** Newest first, keyset-paginated on (triggered_at, id) so new events never shift a page. */
  async page(
    owner: number,
    options: { ruleId?: string; after?: { at: Date; id: string }; limit: number },
  ): Promise<EventPage> {
    const q = this.repo
      .createQueryBuilder('e')
      .where('e.owner_key_id = :owner', { owner })
      .orderBy('e.triggered_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(options.limit + 1);
    if (options.ruleId) q.andWhere('e.rule_id = :ruleId', { ruleId: options.ruleId });
    if (options.after)
      q.andWhere('(e.triggered_at, e.id) < (:at, :id)', {
        at: options.after.at,
        id: options.after.id,
      });
    const rows = await q.getMany();
    const more = rows.length > options.limit;
    const page = more ? rows.slice(0, options.limit) : rows;
    const last = page[page.length - 1];
    return { rows: page, next: more && last ? { at: last.triggeredAt, id: last.id } : null };
  }

  async findById(id: string): Promise<AlertEvent | null> {
    return this.repo.findOne({ where: { id } });
  }

  async setDelivery(
    id: string,
    status: DeliveryStatus,
    attempts: number,
    lastError: string | null,
  ): Promise<void> {
    await this.repo.update(
      { id },
      {
        deliveryStatus: status,
        attempts,
        lastError: lastError?.slice(0, 500) ?? null,
        ...(status === 'delivered' ? { deliveredAt: new Date() } : {}),
      },
    );
  }

  /** Retention: history older than `cutoff` (outbox rows go with it: ON DELETE CASCADE). */
  async purgeBefore(cutoff: Date): Promise<number> {
    const result = await this.repo
      .createQueryBuilder()
      .delete()
      .where('triggered_at < :cutoff', { cutoff })
      .execute();
    return result.affected ?? 0;
  }
}
