import type { RedisClient } from '../platform/redis';

/**
 * Open Socket.IO connections per key, counted across instances. A member is
 * `<instance>:<socket id>`; each one expires unless its instance refreshes it,
 * so the sockets of an instance that crashed stop counting by themselves.
 */
export interface ConnectionSlots {
  /** Takes a slot unless the key already has `max`; true when taken. */
  acquire(keyId: number, member: string, max: number): Promise<boolean>;
  release(keyId: number, member: string): Promise<void>;
  /** Extends the lease of slots this instance still holds. */
  refresh(slots: ReadonlyArray<{ keyId: number; member: string }>): Promise<void>;
}

export const CONNECTION_SLOTS = Symbol('CONNECTION_SLOTS');
/** A slot lives this long without a refresh; instances refresh every third of it. */
export const SLOT_LEASE_MS = 60_000;

/** Expired members out, then count, then add, atomically (two instances cannot both take the last slot). */
const ACQUIRE_SCRIPT = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

export class RedisConnectionSlots implements ConnectionSlots {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(keyId: number): string {
    return `${this.prefix}ws-connections:${keyId}`;
  }

  async acquire(keyId: number, member: string, max: number): Promise<boolean> {
    const reply = await this.redis.eval(ACQUIRE_SCRIPT, {
      keys: [this.key(keyId)],
      arguments: [String(Date.now()), String(SLOT_LEASE_MS), String(max), member],
    });
    return Number(reply) === 1;
  }

  async release(keyId: number, member: string): Promise<void> {
    await this.redis.zRem(this.key(keyId), member);
  }

  async refresh(slots: ReadonlyArray<{ keyId: number; member: string }>): Promise<void> {
    if (slots.length === 0) return;
    const until = Date.now() + SLOT_LEASE_MS;
    const multi = this.redis.multi();
    for (const { keyId, member } of slots) {
      multi.zAdd(this.key(keyId), { score: until, value: member }, { XX: true });
      multi.pExpire(this.key(keyId), SLOT_LEASE_MS);
    }
    await multi.exec();
  }
}

/** Embedded mode: one instance, so its own sockets are all there is to count. */
export class MemoryConnectionSlots implements ConnectionSlots {
  private readonly slots = new Map<number, Set<string>>();

  acquire(keyId: number, member: string, max: number): Promise<boolean> {
    const held = this.slots.get(keyId) ?? new Set<string>();
    if (held.size >= max) return Promise.resolve(false);
    held.add(member);
    this.slots.set(keyId, held);
    return Promise.resolve(true);
  }

  release(keyId: number, member: string): Promise<void> {
    const held = this.slots.get(keyId);
    held?.delete(member);
    if (held?.size === 0) this.slots.delete(keyId);
    return Promise.resolve();
  }

  refresh(): Promise<void> {
    return Promise.resolve();
  }
}

export function createConnectionSlots(
  redisUrl: string | undefined,
  redis: RedisClient | undefined,
  prefix: string,
): ConnectionSlots {
  return redisUrl && redis
    ? new RedisConnectionSlots(redis, `${prefix}auth:`)
    : new MemoryConnectionSlots();
}
