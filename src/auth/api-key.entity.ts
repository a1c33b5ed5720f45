import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../platform/database';
import type { ApiKeyScope } from './api-key-format';

/** An API key: its SHA-256 hash and display prefix, never the key itself. */
@Entity('api_keys')
export class ApiKey {
  @PrimaryColumn({ type: 'bigint', generated: 'identity', transformer: bigintNumber })
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 8, unique: true })
  prefix!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;

  @Column({ type: 'text', array: true })
  scopes!: ApiKeyScope[];

  @Column({ type: 'integer', nullable: true })
  rateLimitPerMinute!: number | null;

  @Column({ type: 'integer', nullable: true })
  maxConnections!: number | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
