import type { SendHandle } from 'node:child_process';
import { setupWorker } from '@socket.io/sticky';
import { WORKER_READY } from './worker-ready';

/** What @socket.io/sticky needs of the Socket.IO server: its HTTP server and its engine. */
type StickyServer = Parameters<typeof setupWorker>[0];

export interface StickyWorker {
  /**
   * Takes the connections the primary hands over (those held so far first)
   * into `io`'s HTTP server, and tells the primary this worker is ready.
   */
  serve(io: unknown): void;
}

/**
 * Called first thing in a cluster worker, before the app loads (seconds): the
 * primary routes connections to a worker as soon as it is forked, and an IPC
 * message with no listener is dropped with its socket. So until the app can
 * take them, they are held here (the client just waits, as for a slow
 * server), then replayed in order into @socket.io/sticky's worker side.
 */
export function holdStickyConnections(): StickyWorker {
  const held: Array<[unknown, SendHandle]> = [];
  const hold = (message: unknown, handle: SendHandle): void => {
    held.push([message, handle]);
  };
  process.on('message', hold);
  return {
    serve(io: unknown): void {
      const server = io as Partial<StickyServer> | undefined;
      if (!server?.httpServer || !server.engine)
        throw new Error(
          'cluster worker: the app created no Socket.IO server to hand connections to',
        );
      // Synchronous from here to the last replay: no message can arrive in between and overtake one.
      process.off('message', hold);
      setupWorker(server as StickyServer);
      for (const [message, handle] of held.splice(0)) process.emit('message', message, handle);
      process.send?.({ type: WORKER_READY });
    },
  };
}
