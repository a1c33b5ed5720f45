import { io, ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/platform/pubsub/events';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Payload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

/**
 * A real socket.io-client connection that records every event it receives,
 * so tests can wait for one and also assert what did NOT arrive.
 */
export class RecordingClient {
  readonly received: Array<{ event: string; payload: unknown; at: number }> = [];
  readonly socket: TestSocket;

  private constructor(socket: TestSocket) {
    this.socket = socket;
    socket.onAny((event: string, payload: unknown) => {
      this.received.push({ event, payload, at: Date.now() });
    });
  }

  /** Connects (websocket transport) and waits for `connection_established`; `options` override the defaults. */
  static async connect(
    url: string,
    options: Partial<ManagerOptions & SocketOptions> = {},
  ): Promise<RecordingClient> {
    const socket: TestSocket = io(url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: 5_000,
      ...options,
    });
    const client = new RecordingClient(socket);
    let onRefused: ((error: Error) => void) | undefined;
    const refused = new Promise<never>((_, reject) => {
      onRefused = (error) => {
        socket.close();
        reject(error);
      };
      socket.once('connect_error', onRefused);
    });
    try {
      await Promise.race([client.waitFor('connection_established'), refused]);
    } finally {
      // Only the first connection counts: a reconnecting client must not be closed by a later failed attempt.
      socket.off('connect_error', onRefused);
    }
    return client;
  }

  /** Tries to connect; resolves with the connect_error instead of connecting. */
  static async refused(url: string): Promise<Error & { data?: { code: string; message: string } }> {
    const socket: TestSocket = io(url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    return new Promise((resolve, reject) => {
      socket.once('connect_error', (error) => {
        socket.close();
        resolve(error);
      });
      socket.once('connect', () => {
        socket.close();
        reject(new Error('expected the connection to be refused, but it connected'));
      });
    });
  }

  of<E extends keyof ServerToClientEvents>(event: E): Payload<E>[] {
    return this.received.filter((r) => r.event === event).map((r) => r.payload as Payload<E>);
  }

  /** Resolves with the first `event` whose payload passes `match`, recorded now or arriving within `timeoutMs`. */
  waitFor<E extends keyof ServerToClientEvents>(
    event: E,
    match: (p: Payload<E>) => boolean = () => true,
    timeoutMs = 5_000,
    fromIndex = 0,
  ): Promise<Payload<E>> {
    return new Promise((resolve, reject) => {
      const find = () =>
        this.received
          .slice(fromIndex)
          .find((r) => r.event === event && match(r.payload as Payload<E>));
      const existing = find();
      if (existing) return resolve(existing.payload as Payload<E>);
      const timer = setTimeout(() => {
        this.socket.offAny(listener);
        reject(new Error(`no "${event}" within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (name: string, payload: unknown) => {
        if (name === event && match(payload as Payload<E>)) {
          clearTimeout(timer);
          this.socket.offAny(listener);
          resolve(payload as Payload<E>);
        }
      };
      this.socket.onAny(listener);
    });
  }

  /** Emits `event` and waits for the reply `reply` that arrives after it. */
  async request<E extends keyof ServerToClientEvents>(
    reply: E,
    send: (s: TestSocket) => void,
    timeoutMs = 5_000,
  ): Promise<Payload<E>> {
    const from = this.received.length;
    const waiting = this.waitFor(reply, () => true, timeoutMs, from);
    send(this.socket);
    return waiting;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  close(): void {
    this.socket.close();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type Truthy<T> = Exclude<T, null | undefined | false | 0 | ''>;

/** Polls `check` until it returns a truthy value (which it resolves with) or `timeoutMs` passes. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  stepMs = 100,
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last as Truthy<T>;
    await sleep(stepMs);
  }
  throw new Error(`condition not met within ${timeoutMs} ms (last value: ${String(last)})`);
}
