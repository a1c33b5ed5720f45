import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { AppConfig } from '../config/app-config';

/**
 * Socket.IO server options come from config at runtime (decorator options
 * are static), and WEBSOCKET_PORT moves Socket.IO to its own port; without it
 * Socket.IO shares the HTTP server.
 */
export class AppIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  // Typed through IoAdapter: @nestjs/platform-socket.io bundles its own socket.io copy, whose types differ nominally.
  override createIOServer(
    port: number,
    options?: Parameters<IoAdapter['createIOServer']>[1],
  ): ReturnType<IoAdapter['createIOServer']> {
    const ws = this.config.websocket;
    return super.createIOServer(this.config.app.websocketPort || port, {
      ...options,
      pingInterval: ws.pingIntervalMs,
      pingTimeout: ws.pingTimeoutMs,
      maxHttpBufferSize: ws.maxMessageBytes,
      // Compression costs ~300 KB of zlib state per socket; tick payloads are ~150 bytes.
      perMessageDeflate: false,
      httpCompression: false,
      serveClient: false,
      cors: { origin: true },
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
  }
}
