/**
 * Coalesces the WebSocket frames one socket gets during a burst into a
 * single write.
 *
 * Why: every live tick is one Socket.IO event per subscriber, and each event
 * costs one `writev` syscall, which profiling shows is most of the server's
 * CPU under fan-out (the simulated market, like OANDA at busy times, ticks
 * many pairs at once, so a client of three pairs gets three frames in the same
 * millisecond). Holding a socket's engine.io transport for the rest of the
 * event-loop turn lets those frames queue in engine.io's own write buffer;
 * releasing it flushes them through a corked TCP socket: one syscall per
 * socket per burst instead of one per frame. Order is kept (everything still
 * goes through engine.io's buffer) and nothing waits longer than the current
 * turn of the event loop.
 *
 * It relies on engine.io's `transport.writable` flag and `flush()`, and on
 * the `ws` socket's underlying net.Socket: a connection that does not look
 * like that (polling transport, a future engine.io) is simply not held and
 * works as before.
 */

/** The parts of an engine.io connection this touches (engine.io 6 `Socket`). */
export interface EngineConnection {
  readyState: string;
  transport: {
    name: string;
    writable: boolean;
    socket?: { _socket?: { cork(): void; uncork(): void; destroyed?: boolean } };
  };
  writeBuffer: unknown[];
  flush(): void;
}

interface Held {
  conn: EngineConnection;
  transport: EngineConnection['transport'];
}

export class WriteCoalescer {
  private held: Held[] | null = null;
  private bursts = 0;

  constructor(
    /** Every connection that may receive something in this burst. */
    private readonly connections: () => Iterable<EngineConnection>,
    private readonly schedule: (release: () => void) => void = (fn) => setImmediate(fn),
  ) {}

  /** Call before emitting; the first call in an event-loop turn holds every socket until the turn ends. */
  begin(): void {
    if (this.held) return;
    const held: Held[] = [];
    for (const conn of this.connections()) {
      const transport = conn.transport;
      // Only an idle websocket transport: one with a write in flight is already queueing.
      if (
        conn.readyState === 'open' &&
        transport?.name === 'websocket' &&
        transport.writable === true &&
        typeof conn.flush === 'function' &&
        Array.isArray(conn.writeBuffer) &&
        transport.socket?._socket
      ) {
        transport.writable = false;
        held.push({ conn, transport });
      }
    }
    this.held = held;
    this.bursts += 1;
    this.schedule(() => this.release());
  }

  /** Flushes every held socket through a corked TCP socket (one write each). */
  release(): void {
    const held = this.held;
    this.held = null;
    if (!held) return;
    for (const { conn, transport } of held) {
      // The transport may have been replaced meanwhile; the old one is gone, leave it alone.
      if (conn.transport !== transport || transport.writable) continue;
      transport.writable = true;
      // 'closing' too: engine.io closes only after the buffer drains, which this flush does.
      if (conn.readyState === 'closed' || conn.writeBuffer.length === 0) continue;
      const raw = transport.socket?._socket;
      if (!raw || raw.destroyed) {
        conn.flush();
        continue;
      }
      raw.cork();
      try {
        conn.flush();
      } finally {
        raw.uncork();
      }
    }
  }

  get burstCount(): number {
    return this.bursts;
  }
}
