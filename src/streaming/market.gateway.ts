import { Logger } from '@nestjs/common';
import {
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { ExtendedError, Server, Socket } from 'socket.io';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../health/metrics/metrics.service';
import { PriceStreamService } from '../prices/price-stream.service';
import { PricesService } from '../prices/prices.service';
import { parseInstrumentRequest, parsePairSelection } from './client-messages';
import { ConnectionRegistry, distinctMembers, priceRoomSizes } from './connection-registry';
import {
  ClientToServerEvents,
  CorrelationAlertEvent,
  DataReadyEvent,
  priceRoom,
  PriceUpdateEvent,
  ServerToClientEvents,
  VolatilityAlertEvent,
} from './events';
import { TokenBucket } from './token-bucket';
import { EngineConnection, WriteCoalescer } from './write-coalescer';

interface SocketData {
  /** Created on the first message: most sockets only ever subscribe once, then listen. */
  bucket?: TokenBucket;
  lastLimitNotice?: number;
}
export type MarketServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
export type MarketSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

type ClientEvent = keyof ClientToServerEvents;
type Handler = (socket: MarketSocket, payload: unknown) => void | Promise<void>;

const ROOM_PREFIX = priceRoom('');
/** A rate-limited client hears about it at most this often, so the notices cannot become a flood themselves. */
const LIMIT_NOTICE_MS = 1_000;

/**
 * The Socket.IO side of one instance (DESIGN.md section 6): connections,
 * rooms and typed emits, nothing else. RedisSubscriber calls the broadcast
 * methods; each broadcast is one `io.to(room).emit`, which Socket.IO encodes
 * once (down to the WebSocket frame) and writes to every member (no per-socket
 * loop here). WriteCoalescer then merges what one socket gets in the same
 * event-loop turn (a tick burst) into a single write.
 *
 * Client events go through one `onAny` dispatcher instead of
 * `@SubscribeMessage` handlers: Nest binds an rxjs pipeline per handler per
 * socket (seven here), which costs memory on every connection, and one
 * dispatcher is also the single place for the rate limit and for answering
 * unknown events and bad payloads with `error` (the connection stays up).
 */
@WebSocketGateway()
export class MarketGateway
  implements
    OnGatewayInit<MarketServer>,
    OnGatewayConnection<MarketSocket>,
    OnGatewayDisconnect<MarketSocket>
{
  private readonly logger = new Logger(MarketGateway.name);
  private readonly registry = new ConnectionRegistry();
  private readonly handlers: Record<ClientEvent, Handler> = {
    subscribe: (s, p) => this.subscribe(s, p),
    unsubscribe: (s, p) => this.unsubscribe(s, p),
    get_subscriptions: (s) => this.emit(s, 'subscriptions_info', { pairs: subscriptionsOf(s) }),
    request_price: (s, p) => this.requestPrice(s, p),
    request_all_prices: (s) => this.requestAllPrices(s),
    get_server_stats: (s) => this.emit(s, 'server_stats', this.serverStats()),
    ping: (s) => this.emit(s, 'pong', { server_time: new Date().toISOString() }),
  };

  @WebSocketServer()
  private server: MarketServer | undefined;
  private readonly coalescer = new WriteCoalescer(() => this.connections());

  constructor(
    private readonly config: AppConfig,
    private readonly prices: PricesService,
    private readonly priceStream: PriceStreamService,
    private readonly metrics: MetricsService,
  ) {}

  afterInit(server: MarketServer): void {
    const max = this.config.websocket.maxClients;
    server.use((socket, next) => {
      // engine.clientsCount already includes this connection (and any other mid-handshake), so it never overshoots.
      if (server.engine.clientsCount <= max) return next();
      this.registry.refuse();
      const message = `max_clients: this server accepts at most ${max} clients; try again later`;
      const error: ExtendedError = Object.assign(new Error(message), {
        data: { code: 'max_clients', message },
      });
      next(error);
      // A well-behaved client closes on connect_error; make sure a misbehaving one cannot keep the slot.
      setTimeout(() => socket.conn.close(), 1_000).unref();
    });
  }

  handleConnection(socket: MarketSocket): void {
    this.metrics.setSocketClients(this.registry.connect());
    socket.onAny((event: string, ...args: unknown[]) => void this.dispatch(socket, event, args));
    this.emit(socket, 'connection_established', {
      client_id: socket.id,
      server_time: new Date().toISOString(),
      available_pairs: [...this.config.market.instruments],
    });
  }

  handleDisconnect(): void {
    this.metrics.setSocketClients(this.registry.disconnect());
  }

  /** `price_update` to the instrument's room. */
  broadcastPriceUpdate(event: PriceUpdateEvent): void {
    this.toRooms('price_update', event, [priceRoom(event.instrument)]);
  }

  /** `volatility_alert` to the instrument's room. */
  broadcastVolatilityAlert(event: VolatilityAlertEvent): void {
    this.toRooms('volatility_alert', event, [priceRoom(event.instrument)]);
  }

  /** `correlation_alert` to both pairs' rooms; a socket in both gets it once (Socket.IO dedupes `to([a, b])`). */
  broadcastCorrelationAlert(event: CorrelationAlertEvent): void {
    this.toRooms('correlation_alert', event, [priceRoom(event.pair1), priceRoom(event.pair2)]);
  }

  /** `data_ready` to every client of this instance. */
  broadcastDataReady(event: DataReadyEvent): void {
    if (!this.server) return;
    const recipients = this.server.of('/').sockets.size;
    if (recipients === 0) return;
    this.coalescer.begin();
    this.server.emit('data_ready', event);
    this.sent('data_ready', recipients);
  }

  /** Socket.IO numbers for health and `server_stats`. */
  serverStats(): Parameters<ServerToClientEvents['server_stats']>[0] {
    return {
      ...this.registry.snapshot(),
      rooms: this.server ? priceRoomSizes(this.server.of('/').adapter.rooms) : {},
      instance_id: this.config.app.instanceId,
      max_clients: this.config.websocket.maxClients,
      price_stream_leader: this.priceStream.isLeader,
    };
  }

  private toRooms<E extends 'price_update' | 'volatility_alert' | 'correlation_alert'>(
    event: E,
    payload: Parameters<ServerToClientEvents[E]>[0],
    rooms: string[],
  ): void {
    if (!this.server) return;
    const recipients = distinctMembers(this.server.of('/').adapter.rooms, rooms);
    // Nobody listening: skip encoding the packet at all (most ticks on a quiet instance).
    if (recipients === 0) return;
    this.coalescer.begin();
    (this.server.to(rooms).emit as (e: E, p: typeof payload) => boolean)(event, payload);
    this.sent(event, recipients);
  }

  private *connections(): Iterable<EngineConnection> {
    if (!this.server) return;
    // engine.io's Socket is typed as its public surface; the coalescer checks the rest at run time.
    for (const socket of this.server.of('/').sockets.values())
      yield socket.conn as unknown as EngineConnection;
  }

  private async dispatch(socket: MarketSocket, event: string, args: unknown[]): Promise<void> {
    const now = Date.now();
    socket.data.bucket ??= new TokenBucket(this.config.websocket.rateLimitPerSecond);
    if (!socket.data.bucket.take(now)) {
      this.registry.rateLimited();
      if (now - (socket.data.lastLimitNotice ?? 0) >= LIMIT_NOTICE_MS) {
        socket.data.lastLimitNotice = now;
        this.error(
          socket,
          'rate_limited',
          `more than ${this.config.websocket.rateLimitPerSecond} messages per second; "${event}" was dropped`,
        );
      }
      return;
    }
    const handler = Object.hasOwn(this.handlers, event)
      ? this.handlers[event as ClientEvent]
      : undefined;
    if (!handler) {
      this.error(
        socket,
        'unknown_event',
        `unknown event "${event.slice(0, 40)}"; known: ${Object.keys(this.handlers).join(', ')}`,
      );
      return;
    }
    try {
      // An ack callback, if the client passed one, is not part of the payload.
      await handler(socket, typeof args[0] === 'function' ? undefined : args[0]);
    } catch (error) {
      this.logger.warn(`handling "${event}" failed: ${(error as Error).message}`);
      this.error(socket, 'internal_error', `could not handle "${event}"; try again`);
    }
  }

  private async subscribe(socket: MarketSocket, payload: unknown): Promise<void> {
    const parsed = parsePairSelection(payload, this.config.market.instruments);
    if (!parsed.ok) return this.error(socket, 'invalid_payload', `subscribe: ${parsed.message}`);
    const { accepted, rejected } = parsed.value;
    await socket.join(accepted.map(priceRoom));
    this.emit(socket, 'subscription_confirmed', {
      pairs: accepted,
      pair_count: subscriptionsOf(socket).length,
      rejected,
    });
  }

  private async unsubscribe(socket: MarketSocket, payload: unknown): Promise<void> {
    const parsed = parsePairSelection(payload, this.config.market.instruments);
    if (!parsed.ok) return this.error(socket, 'invalid_payload', `unsubscribe: ${parsed.message}`);
    const { accepted, rejected } = parsed.value;
    for (const pair of accepted) await socket.leave(priceRoom(pair));
    this.emit(socket, 'unsubscription_confirmed', {
      pairs: accepted,
      pair_count: subscriptionsOf(socket).length,
      rejected,
    });
  }

  private async requestPrice(socket: MarketSocket, payload: unknown): Promise<void> {
    const parsed = parseInstrumentRequest(payload, this.config.market.instruments);
    if (!parsed.ok) return this.error(socket, parsed.code, `request_price: ${parsed.message}`);
    const price = await this.prices.current(parsed.instrument);
    if (!price) return this.error(socket, 'no_price', `no price for ${parsed.instrument} yet`);
    this.emit(socket, 'price_response', price);
  }

  private async requestAllPrices(socket: MarketSocket): Promise<void> {
    const prices = await this.prices.all();
    this.emit(socket, 'all_prices_response', {
      prices,
      count: prices.length,
      timestamp: new Date().toISOString(),
    });
  }

  private error(socket: MarketSocket, code: string, message: string): void {
    this.emit(socket, 'error', { code, message });
  }

  private emit<E extends keyof ServerToClientEvents>(
    socket: MarketSocket,
    event: E,
    payload: Parameters<ServerToClientEvents[E]>[0],
  ): void {
    (socket.emit as (e: E, p: typeof payload) => boolean)(event, payload);
    this.sent(event, 1);
  }

  private sent(event: string, recipients: number): void {
    this.registry.recordSent(event, recipients);
    this.metrics.recordMessagesSent(event, recipients);
  }
}

/** The instruments a socket is subscribed to (its price rooms). */
function subscriptionsOf(socket: MarketSocket): string[] {
  const pairs: string[] = [];
  for (const room of socket.rooms)
    if (room.startsWith(ROOM_PREFIX)) pairs.push(room.slice(ROOM_PREFIX.length));
  return pairs;
}
