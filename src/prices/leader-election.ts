import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HeldLock, tryAdvisoryLock } from '../database/advisory-lock';

export interface LeaderElectionOptions {
  dataSource: DataSource;
  lockName: string;
  /** How often a follower tries to take the lock. */
  retryMs: number;
  /** How often the leader checks it still holds the lock (its connection may have died). */
  verifyMs: number;
  /** The leader's work; runs until `signal` aborts. */
  lead: (signal: AbortSignal) => Promise<void>;
  logger: Logger;
}

/**
 * Leader election on a PostgreSQL session advisory lock. Every instance tries
 * the lock every `retryMs`; the one that gets it runs `lead` until stopped.
 * The lock lives on its own database connection, so when the leader process
 * dies PostgreSQL frees it and the next follower attempt (within `retryMs`)
 * takes over: no lease to expire, no clock to trust.
 *
 * The converse case, the leader alive but its lock connection gone (a
 * PostgreSQL restart, a killed backend), would leave two leaders once a
 * follower takes the freed lock. So the leader notes which backend holds the
 * lock and checks `pg_locks` every `verifyMs`; if that backend no longer holds
 * it, the leader stops its work and competes again like everyone else.
 */
export class LeaderElection {
  private lock: HeldLock | null = null;
  private timer: NodeJS.Timeout | undefined;
  private controller: AbortController | null = null;
  private leading: Promise<void> | null = null;
  private stopped = true;
  private elections = 0;
  private lastError = '';
  private lastErrorAt = 0;

  constructor(private readonly options: LeaderElectionOptions) {}

  get isLeader(): boolean {
    return this.lock !== null;
  }

  /** Times this instance became leader (takeovers after a stop count again). */
  get timesElected(): number {
    return this.elections;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.attempt();
  }

  /** Stops leading (or trying to), waits for the leader's work to finish, then releases the lock. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.controller?.abort();
    await this.leading;
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    try {
      const lock = await tryAdvisoryLock(this.options.dataSource, this.options.lockName);
      if (lock && this.stopped) {
        await lock.release();
        return;
      }
      if (lock) {
        this.lock = lock;
        this.elections += 1;
        this.options.logger.log(`elected leader (${this.options.lockName})`);
        this.controller = new AbortController();
        this.leading = this.runLeader(lock, this.controller.signal);
        return;
      }
    } catch (error) {
      // Retried every few seconds while PostgreSQL is away: say it once per minute, not every try.
      const message = (error as Error).message;
      if (message !== this.lastError || Date.now() - this.lastErrorAt >= 60_000) {
        this.options.logger.warn(`leader election attempt failed (will retry): ${message}`);
        this.lastError = message;
        this.lastErrorAt = Date.now();
      }
    }
    this.schedule();
  }

  private async runLeader(lock: HeldLock, signal: AbortSignal): Promise<void> {
    const verifier = await this.startVerifier(signal);
    try {
      await this.options.lead(signal);
    } catch (error) {
      this.options.logger.error(`leader work failed: ${(error as Error).message}`);
    } finally {
      if (verifier) clearInterval(verifier);
      this.lock = null;
      this.leading = null;
      await lock.release().catch((error: unknown) => {
        this.options.logger.warn(`releasing ${lock.name} failed: ${(error as Error).message}`);
      });
      // If the work ended by itself (not via stop), compete again so a leader always exists.
      this.schedule();
    }
  }

  /** Backends holding our lock (the two-int4-key form tryAdvisoryLock uses shows as objsubid 2). */
  private async holders(): Promise<number[]> {
    const rows = await this.options.dataSource.query<Array<{ pid: number }>>(
      `SELECT pid FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND objsubid = 2
          AND objid = (hashtext($1)::bigint & 4294967295)::oid`,
      [this.options.lockName],
    );
    return rows.map((r) => r.pid);
  }

  private async startVerifier(signal: AbortSignal): Promise<NodeJS.Timeout | undefined> {
    let own: number;
    try {
      const pids = await this.holders();
      // Another application's lock with a colliding hash would make ours ambiguous: then do not verify.
      if (pids.length !== 1) return undefined;
      own = pids[0];
    } catch {
      return undefined;
    }
    return setInterval(() => {
      this.holders()
        .then((pids) => {
          if (pids.includes(own) || signal.aborted) return;
          this.options.logger.error(
            `lost the ${this.options.lockName} lock (its database session ${own} is gone); stepping down`,
          );
          this.controller?.abort();
        })
        // PostgreSQL unreachable: nobody can take the lock meanwhile either; check again next time.
        .catch(() => undefined);
    }, this.options.verifyMs);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.attempt(), this.options.retryMs);
  }
}
