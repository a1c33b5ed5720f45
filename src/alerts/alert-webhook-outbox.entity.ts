import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A webhook still to deliver, written in the transaction of its event; deleted once delivered or given up. */
@Entity('alert_webhook_outbox')
export class AlertWebhookOutbox {
  @PrimaryColumn({ type: 'uuid' }) eventId!: string;
  @Column({ type: 'text' }) url!: string;
  @Column({ type: 'text' }) secret!: string;
  @Column({ type: 'text' }) body!: string;
  @Column({ type: 'integer' }) attempts!: number;
  @Column({ type: 'timestamptz' }) nextAttemptAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) leaseUntil!: Date | null;
  @Column({ type: 'timestamptz' }) giveUpAt!: Date;
  @Column({ type: 'timestamptz' }) createdAt!: Date;
}
