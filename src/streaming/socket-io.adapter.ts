import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { originAllowed } from '../auth';
import { SocketAuthService } from '../auth';
import { AppConfig } from '../platform/config';

/**
 * Socket.IO server options come from config at runtime (decorator options
 * are static), and WEBSOCKET_PORT moves Socket.IO to its own port; without it
 * Socket.IO shares the HTTP server.
 */
export class AppIoAdapter extends IoAdapter {
  constructor(
    private readonly context: INestApplicationContext,
    private readonly config: AppConfig,
    /** Told of each Socket.IO server created (a cluster worker hands it the primary's connections). */
    private readonly onServer?: (server: unknown) => void,
  ) {
    super(context);
  }

  // Typed through IoAdapter: @nestjs/platform-socket.io bundles its own socket.io copy, whose types differ nominally.
  override createIOServer(
    port: number,
    options?: Parameters<IoAdapter['createIOServer']>[1],
  ): ReturnType<IoAdapter['createIOServer']> {
    const ws = this.config.websocket;
    const origins = this.config.auth.corsOrigins;
    const server = super.createIOServer(this.config.app.websocketPort || port, {
      ...options,
      pingInterval: ws.pingIntervalMs,
      pingTimeout: ws.pingTimeoutMs,
      maxHttpBufferSize: ws.maxMessageBytes,
      // Compression costs ~300 KB of zlib state per socket; tick payloads are ~150 bytes.
      perMessageDeflate: false,
      httpCompression: false,
      serveClient: false,
      // CORS_ORIGINS (polling only; the handshake middleware checks Origin for every transport).
      cors: {
        origin: (origin: string | undefined, done: (err: Error | null, ok?: boolean) => void) =>
          done(null, !!origin && originAllowed(origin, undefined, origins)),
        credentials: false,
      },
      // Opt-in (see .env.example): rooms and missed events of a socket that reconnects within the window.
      ...(ws.stateRecoveryMs > 0 && {
        connectionStateRecovery: {
          maxDisconnectionDuration: ws.stateRecoveryMs,
          // A recovered socket is still counted against WS_MAX_CLIENTS.
          skipMiddlewares: false,
        },
      }),
      // Nest passes a partial object here despite the declared type; socket.io fills in the defaults.
    } as NonNullable<typeof options>);
    // Origin, API key and per-key connection limit on the handshake (Nest guards do not run there).
    this.context.get(SocketAuthService, { strict: false }).attach(server);
    this.onServer?.(server);
    return server;
  }
}
