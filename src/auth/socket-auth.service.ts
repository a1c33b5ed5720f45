import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { ExtendedError } from 'socket.io';
import { AppConfig } from '../platform/config';
import { maskedKey } from './api-key-format';
import { ApiKeysService } from './api-keys.service';
import { CONNECTION_SLOTS, SLOT_LEASE_MS, type ConnectionSlots } from './connection-slots';
import { originAllowed } from './cors-policy';
import { tokenFromHeaders } from './request-auth';

/** How often each instance looks for revoked keys among its open sockets (the contract is 5 s). */
export const REVOCATION_CHECK_MS = 1_000;
/** A refused client that does not close its transport itself loses it after this long. */
const REFUSED_CLOSE_MS = 1_000;

/**
 * What the middleware uses of a Socket.IO socket. Structural, because
 * @nestjs/platform-socket.io bundles its own socket.io copy whose classes
 * differ nominally from the top-level one.
 */
export interface HandshakeSocket {
  id: string;
  handshake: { headers: IncomingHttpHeaders; auth: Record<string, unknown> };
  conn: { close(): void; once(event: 'close', listener: () => void): unknown };
  once(event: 'disconnect', listener: () => void): unknown;
  emit(event: 'error', payload: { code: string; message: string }): unknown;
  disconnect(close?: boolean): unknown;
}
type Middleware = (socket: HandshakeSocket, next: (error?: ExtendedError) => void) => void;

interface KeyedSocket {
  socket: HandshakeSocket;
  keyId: number;
  prefix: string;
  member: string;
}

export type RefusalCode = 'unauthorized' | 'max_connections' | 'forbidden_origin';

/** A handshake refusal as the client sees it: `connect_error` with `data.code` (like max_clients). */
export function refusal(code: RefusalCode, message: string): ExtendedError {
  return Object.assign(new Error(message), { data: { code, message } });
}

/**
 * Socket.IO's side of access control, as an `io.use` middleware (Nest guards
 * do not run on the handshake): the Origin check, `auth.token`, the per-key
 * connection limit across instances; then, while sockets are open, closing
 * those whose key was revoked.
 */
@Injectable()
export class SocketAuthService implements OnApplicationShutdown {
  private readonly logger = new Logger('SocketAuth');
  private readonly open = new Map<string, KeyedSocket>();
  private timers: NodeJS.Timeout[] = [];
  private checking = false;

  constructor(
    private readonly config: AppConfig,
    private readonly keys: ApiKeysService,
    @Inject(CONNECTION_SLOTS) private readonly slots: ConnectionSlots,
  ) {}

  /** Installs the middleware on a server (called by the Socket.IO adapter when it creates it). */
  attach(server: { use(middleware: Middleware): unknown }): void {
    server.use((socket, next) => {
      this.admit(socket).then(
        () => next(),
        (error: ExtendedError) => {
          next(error);
          setTimeout(() => socket.conn.close(), REFUSED_CLOSE_MS).unref();
        },
      );
    });
    if (this.timers.length || this.config.auth.mode === 'off') return;
    this.timers = [
      setInterval(() => void this.closeRevoked(), REVOCATION_CHECK_MS),
      setInterval(() => void this.refreshSlots(), SLOT_LEASE_MS / 3),
    ];
    for (const timer of this.timers) timer.unref();
  }

  private async admit(socket: HandshakeSocket): Promise<void> {
    const { headers, auth } = socket.handshake;
    const origin = headers.origin;
    if (!originAllowed(origin, headers.host, this.config.auth.corsOrigins)) {
      throw refusal('forbidden_origin', `origin ${origin} is not allowed (see CORS_ORIGINS)`);
    }
    if (this.config.auth.mode === 'off') return;
    const fromAuth = (auth as { token?: unknown } | undefined)?.token;
    const token = typeof fromAuth === 'string' && fromAuth ? fromAuth : tokenFromHeaders(headers);
    if (!token) {
      throw refusal('unauthorized', 'missing API key: connect with auth: { token: "<key>" }');
    }
    let key;
    try {
      key = await this.keys.verify(token);
    } catch (error) {
      this.logger.warn(`could not verify a key: ${(error as Error).message}`);
      throw refusal('unauthorized', 'could not verify the API key right now; retry');
    }
    if (!key) throw refusal('unauthorized', 'unknown or revoked API key');
    const max = key.maxConnections ?? this.config.auth.maxConnectionsPerKey;
    const member = `${this.config.app.instanceId}:${socket.id}`;
    if (!(await this.slots.acquire(key.id, member, max))) {
      throw refusal(
        'max_connections',
        `max_connections: key ${maskedKey(key.prefix)} already has ${max} open connections`,
      );
    }
    this.open.set(socket.id, { socket, keyId: key.id, prefix: key.prefix, member });
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.open.delete(socket.id);
      this.slots.release(key.id, member).catch((error: Error) => {
        this.logger.warn(`could not release a connection slot: ${error.message}`);
      });
    };
    // `disconnect` for a socket that connected; the transport's `close` also covers a later middleware refusing it.
    socket.once('disconnect', release);
    socket.conn.once('close', release);
    this.keys.touch(key.id);
  }

  /**
   * Whose socket this is, for the owner's alert room: the key id, 0 for the
   * implicit owner when AUTH_MODE=off, null when this instance did not admit it.
   */
  ownerOf(socketId: string): number | null {
    if (this.config.auth.mode === 'off') return 0;
    return this.open.get(socketId)?.keyId ?? null;
  }

  /** Disconnects, with a reason, every socket of this instance whose key is no longer valid. */
  async closeRevoked(): Promise<number> {
    if (this.checking || this.open.size === 0) return 0;
    this.checking = true;
    try {
      const ids = [...new Set([...this.open.values()].map((s) => s.keyId))];
      const revoked = await this.keys.revokedAmong(ids);
      let closed = 0;
      for (const entry of [...this.open.values()]) {
        if (!revoked.has(entry.keyId)) continue;
        const message = `API key ${maskedKey(entry.prefix)} was revoked; disconnecting`;
        entry.socket.emit('error', { code: 'key_revoked', message });
        entry.socket.disconnect(true);
        closed += 1;
      }
      if (closed) this.logger.log(`closed ${closed} socket(s) of revoked key(s)`);
      return closed;
    } catch (error) {
      this.logger.warn(`revocation check failed: ${(error as Error).message}`);
      return 0;
    } finally {
      this.checking = false;
    }
  }

  private async refreshSlots(): Promise<void> {
    try {
      await this.slots.refresh([...this.open.values()]);
    } catch (error) {
      this.logger.warn(`could not refresh connection slots: ${(error as Error).message}`);
    }
  }

  onApplicationShutdown(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }
}
