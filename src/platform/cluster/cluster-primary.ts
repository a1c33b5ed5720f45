import cluster, { type Worker } from 'node:cluster';
import { createServer, type Server } from 'node:http';
import {
  createServer as createNetServer,
  type AddressInfo,
  type Server as NetServer,
} from 'node:net';
import { setupMaster } from '@socket.io/sticky';
import type { PrimaryLog } from './primary-log';
import { RestartBackoff } from './restart-backoff';
import { isWorkerReady } from './worker-ready';

/**
 * After SIGTERM the workers get this long to finish before they are killed.
 * Each worker's own backstop (main.ts) exits it after 9.5 s; this is the
 * primary's, for a worker that hangs before its backstop is armed.
 */
export const STOP_BACKSTOP_MS = 15_000;

export interface ClusterPrimaryOptions {
  workers: number;
  /** PORT; 0 = any free port (the workers are told the real one). */
  port: number;
  /** The primary's instance id; worker n is `<id>-w<n>`. */
  instanceId: string;
  log: PrimaryLog;
}

interface Slot {
  /** 1-based, stable across restarts: worker 2 restarted is still `<id>-w2`. */
  readonly index: number;
  readonly backoff: RestartBackoff;
  worker: Worker | null;
  startedAt: number;
  ready: boolean;
  restart?: NodeJS.Timeout;
}

/**
 * The cluster primary: owns PORT, hands every connection to a worker
 * (@socket.io/sticky: a Socket.IO session's requests always reach the worker
 * that holds it, which long-polling needs), keeps `workers` app processes
 * alive and stops them together. It never creates the Nest app.
 *
 * Start: the first worker boots alone (it creates and migrates the database,
 * creates partitions), then the others together; PORT accepts connections
 * once all serve, as one process accepts once it serves. A worker that dies
 * before the cluster first served fails the start (exit 1, like a single
 * process that cannot boot); later deaths are restarted with backoff
 * (RestartBackoff). Until a restarted worker serves, the connections routed
 * to it wait in it (cluster-worker.ts): @socket.io/sticky balances over every
 * forked worker.
 * SIGTERM/SIGINT: stop accepting, SIGTERM every worker, exit once all are
 * gone: 0 when every worker exited 0.
 */
class ClusterPrimary {
  private readonly slots: Slot[];
  private readonly server: Server = createServer();
  private state: 'starting' | 'running' | 'stopping' = 'starting';
  private port = 0;
  private exitCode = 0;
  private stopStartedAt = 0;
  private stopReason = '';
  private othersForked = false;
  private started!: () => void;

  constructor(private readonly options: ClusterPrimaryOptions) {
    this.slots = Array.from({ length: options.workers }, (_, i) => ({
      index: i + 1,
      backoff: new RestartBackoff(),
      worker: null,
      startedAt: 0,
      ready: false,
    }));
  }

  /** Resolves once every worker serves; the process then lives until a signal stops it. */
  async start(): Promise<{ port: number }> {
    // Round-robin, not least-connection: sticky counts only Socket.IO sessions, so with
    // least-connection every REST request would go to the same worker.
    setupMaster(this.server, { loadBalancingMethod: 'round-robin' });
    // The first bytes of a connection cross IPC as a Buffer, not as JSON.
    cluster.setupPrimary({ serialization: 'advanced' });
    // Bound once now to fail fast on a port in use (and to learn PORT=0's port, which the workers
    // are told); bound for good once every worker serves, so no connection waits on a booting one.
    this.port = await probePort(this.options.port);
    process.once('SIGTERM', () => this.stop('SIGTERM'));
    process.once('SIGINT', () => this.stop('SIGINT'));
    const ready = new Promise<void>((resolve) => (this.started = resolve));
    this.options.log.log(
      `cluster primary on port ${this.port}: starting ${this.options.workers} workers`,
      { event: 'cluster_starting', workers: this.options.workers, port: this.port },
    );
    this.fork(this.slots[0]);
    await ready;
    return { port: this.port };
  }

  private fork(slot: Slot): void {
    const worker = cluster.fork({
      PORT: String(this.port),
      INSTANCE_ID: `${this.options.instanceId}-w${slot.index}`,
      // Job schedules in worker 1 only. Every worker would fire the same cron tick within
      // milliseconds; the job's advisory lock stops two runs at once but not one after the
      // other, so a job shorter than the gap between two workers' ticks (tens of ms on a busy
      // event loop) would run twice. The lock still keeps runs single across hosts and against
      // the CLI and the API. While worker 1 restarts, ticks wait; its boot catch-up runs what
      // is overdue. An explicit SCHEDULER_ENABLED=false (inherited) still holds for worker 1.
      ...(slot.index > 1 && { SCHEDULER_ENABLED: 'false' }),
    });
    slot.worker = worker;
    slot.startedAt = Date.now();
    slot.ready = false;
    this.options.log.log(`worker ${slot.index} started (pid ${worker.process.pid})`, {
      event: 'worker_started',
      worker: slot.index,
      worker_pid: worker.process.pid,
    });
    worker.on('message', (message: unknown) => {
      if (isWorkerReady(message)) this.onReady(slot, worker);
    });
    worker.once('exit', (code, signal) => this.onExit(slot, worker, code, signal));
  }

  private onReady(slot: Slot, worker: Worker): void {
    if (slot.worker !== worker) return;
    slot.ready = true;
    this.options.log.log(`worker ${slot.index} serving (pid ${worker.process.pid})`, {
      event: 'worker_ready',
      worker: slot.index,
      worker_pid: worker.process.pid,
    });
    if (this.state !== 'starting') return;
    if (!this.othersForked) {
      this.othersForked = true;
      for (const other of this.slots.slice(1)) this.fork(other);
    }
    if (this.slots.every((s) => s.ready)) void this.open();
  }

  /** Every worker serves: accept connections. */
  private async open(): Promise<void> {
    try {
      await listen(this.server, this.port);
    } catch (error) {
      this.options.log.error(
        `cannot listen on port ${this.port}: ${(error as Error).message}; stopping the cluster`,
      );
      this.stop('a failed start', 1);
      return;
    }
    if (this.state !== 'starting') return;
    this.server.on('error', (error) =>
      this.options.log.error(`listening socket error: ${error.message}`),
    );
    this.state = 'running';
    this.options.log.log(
      `cluster serving on port ${this.port} with ${this.options.workers} workers`,
      { event: 'cluster_ready', workers: this.options.workers, port: this.port },
    );
    this.started();
  }

  private onExit(slot: Slot, worker: Worker, code: number | null, signal: string | null): void {
    if (slot.worker === worker) slot.worker = null;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    const fields = {
      event: 'worker_exited',
      worker: slot.index,
      worker_pid: worker.process.pid,
      exit_code: code,
      signal,
    };
    if (this.state === 'stopping') {
      if (code !== 0) this.exitCode = 1;
      this.options.log.log(`worker ${slot.index} exited (${how})`, fields);
      this.finishIfStopped();
      return;
    }
    if (this.state === 'starting' && !slot.ready) {
      this.options.log.error(
        `worker ${slot.index} exited during start-up (${how}); its error is above. Stopping the cluster`,
        fields,
      );
      this.stop('a failed start', 1);
      return;
    }
    const uptimeMs = Date.now() - slot.startedAt;
    const delay = slot.backoff.next(uptimeMs);
    this.options.log.warn(
      `worker ${slot.index} (pid ${worker.process.pid}) exited (${how}) after ${Math.round(uptimeMs / 1000)} s; restarting it in ${delay} ms`,
      { ...fields, uptime_ms: uptimeMs, restart_in_ms: delay },
    );
    slot.restart = setTimeout(() => {
      slot.restart = undefined;
      if (this.state !== 'stopping') this.fork(slot);
    }, delay);
  }

  private stop(reason: string, exitCode = 0): void {
    if (this.state === 'stopping') return;
    this.state = 'stopping';
    this.exitCode = exitCode;
    this.stopReason = reason;
    this.stopStartedAt = performance.now();
    const alive = this.slots.filter((s) => s.worker);
    this.options.log.log(`received ${reason}; stopping ${alive.length} workers`, {
      event: 'shutdown_started',
      signal: reason,
    });
    // No new connections; those already handed over finish in their worker.
    this.server.close();
    for (const slot of this.slots) clearTimeout(slot.restart);
    for (const slot of alive) slot.worker?.process.kill('SIGTERM');
    setTimeout(() => {
      for (const slot of this.slots) slot.worker?.process.kill('SIGKILL');
      this.options.log.error(
        `workers did not stop within ${STOP_BACKSTOP_MS} ms after ${reason}; killed them`,
      );
      this.exitCode = 1;
      this.finish();
    }, STOP_BACKSTOP_MS).unref();
    this.finishIfStopped();
  }

  private finishIfStopped(): void {
    if (this.slots.every((s) => !s.worker)) this.finish();
  }

  private finish(): never {
    const ms = Math.round(performance.now() - this.stopStartedAt);
    this.options.log.log(
      `shutdown after ${this.stopReason} done in ${ms} ms (exit code ${this.exitCode})`,
      {
        event: 'shutdown_done',
        signal: this.stopReason,
        duration_ms: ms,
        exit_code: this.exitCode,
      },
    );
    process.exit(this.exitCode);
  }
}

/** Binds `port` and releases it: throws when it is in use; the port bound (for PORT=0). */
async function probePort(port: number): Promise<number> {
  const probe = createNetServer();
  const bound = await listen(probe, port);
  await new Promise((resolve) => probe.close(resolve));
  return bound;
}

function listen(server: Server | NetServer, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Runs this process as the cluster primary (see ClusterPrimary). Resolves
 * once all workers serve; rejects only when PORT is in use at start (nothing
 * was forked then).
 */
export function runClusterPrimary(options: ClusterPrimaryOptions): Promise<{ port: number }> {
  return new ClusterPrimary(options).start();
}
