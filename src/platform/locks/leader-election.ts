import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HeldLock, tryAdvisoryLock } from './advisory-lock';

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
 * follower takes the freed lock. So the leader checks every `verifyMs`, on
 * the lock's own session, that it still holds the lock in this database; if
 * not, it stops its work and competes again like everyone else.
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
    const verifier = this.startVerifier(lock, signal);
    try {
      await this.options.lead(signal);
    } catch (error) {
      this.options.logger.error(`leader work failed: ${(error as Error).message}`);
    } finally {
      clearInterval(verifier);
      this.lock = null;
      this.leading = null;
      await lock.release().catch((error: unknown) => {
        this.options.logger.warn(`releasing ${lock.name} failed: ${(error as Error).message}`);
      });
      // If the work ended by itself (not via stop), compete again so a leader always exists.
      this.schedule();
    }
  }

  /**
   * Every `verifyMs` the leader asks PostgreSQL, on the lock's own session,
   * whether that session still holds the lock (scoped to this database: see
   * HeldLock.stillHeld). If not, another instance may take it at any moment,
   * so the leader stops its work and competes again like everyone else. The
   * check never turns itself off: there is exactly one possible holder.
   */
  private startVerifier(lock: HeldLock, signal: AbortSignal): NodeJS.Timeout {
    let checking = false;
    return setInterval(() => {
      // A check that has not answered yet (PostgreSQL frozen) is not stacked up on.
      if (checking || signal.aborted) return;
      checking = true;
      void lock
        .stillHeld()
        .then((held) => {
          if (held || signal.aborted) return;
          this.options.logger.error(
            `lost the ${this.options.lockName} lock (its database session ended); stepping down`,
          );
          this.controller?.abort();
        })
        .finally(() => (checking = false));
    }, this.options.verifyMs);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.attempt(), this.options.retryMs);
  }
}
