import { Logger } from '@nestjs/common';
import {
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { ExtendedError, Server, Socket } from 'socket.io';
import { SocketAuthService } from '../auth';
import { AppConfig } from '../platform/config';
import { PrometheusService } from '../platform/observability';
import { echo, eventName, parseBatchFlag, parsePairSelection } from './client-messages';
import { SocketRequests } from './socket-requests';
import { ConnectionRegistry, distinctMembers, priceRoomSizes } from './connection-registry';
import {
  AlertTriggeredMessage,
  ClientToServerEvents,
  CorrelationAlertEvent,
  DataReadyEvent,
  HandshakeAuth,
  ownerRoom,
  priceRoom,
  PriceUpdateEvent,
  ServerToClientEvents,
  ServiceStatusEvent,
  VolatilityAlertEvent,
} from '../platform/pubsub';
import {
  BATCH_ROOM,
  batchFor,
  batchGroupRoom,
  groupRoomPairs,
  PriceConflator,
} from './price-batching';
import { TokenBucket } from './token-bucket';

interface SocketData {
  /** Created on the first message: most sockets only ever subscribe once, then listen. */
  bucket?: TokenBucket;
  lastLimitNotice?: number;
  /** `price_batch` instead of `price_update` (subscribe / handshake `batch: true`). */
  batch?: boolean;
  /** The batch group room this socket is in (see price-batching.ts), if batched and subscribed. */
  group?: string;
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
type ReplyEvent =
  | 'subscription_confirmed'
  | 'unsubscription_confirmed'
  | 'subscriptions_info'
  | 'price_response'
  | 'all_prices_response'
  | 'server_stats'
  | 'pong';
type Payload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];
interface Failure {
  error: { code: string; message: string };
  /** Answer only an acknowledgement, no `error` event (rate-limit notices are throttled). */
  quiet?: boolean;
}
/** What a request event answers: its reply event (plus, rarely, an `error` notice about part of it), or a failure. */
type Reply =
  | { [E in ReplyEvent]: { event: E; payload: Payload<E>; notice?: Failure['error'] } }[ReplyEvent]
  | Failure;
type Handler = (socket: MarketSocket, payload: unknown) => Reply | Promise<Reply>;

const fail = (code: string, message: string): Failure => ({ error: { code, message } });
const reply = <E extends ReplyEvent>(event: E, payload: Payload<E>): Reply =>
  ({ event, payload }) as Reply;

const ROOM_PREFIX = priceRoom('');
/** A rate-limited client hears about it at most this often, so the notices cannot become a flood themselves. */
const LIMIT_NOTICE_MS = 1_000;

/**
 * The Socket.IO side of one instance (DESIGN.md section 6): connections,
 * rooms and typed emits, nothing else. RedisSubscriber calls the broadcast
 * methods; each broadcast is one `io.to(room).emit`, which Socket.IO encodes
 * once (down to the WebSocket frame) and writes to every member (no per-socket
 * loop here). Sockets that asked for batches get `price_batch` instead: one
 * frame per tick burst, encoded once per group of sockets with the same pairs
 * (see price-batching.ts). Public Socket.IO API only: nothing here touches
 * engine.io or `ws` internals, so upgrades of either cannot break it.
 *
 * Client events go through one `onAny` dispatcher instead of
 * `@SubscribeMessage` handlers: Nest binds an rxjs pipeline per handler per
 * socket (seven here), which costs memory on every connection, and one
 * dispatcher is also the single place for the rate limit, acknowledgements,
 * and for answering unknown events, bad payloads and handler failures with
 * `error` (the connection stays up, and nothing a client sends can throw out
 * of here: an escaped rejection would end the process).
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
    get_subscriptions: (s) => reply('subscriptions_info', { pairs: subscriptionsOf(s) }),
    request_price: (_, p) => this.requests.answer('request_price', p),
    request_all_prices: (_, p) => this.requests.answer('request_all_prices', p),
    get_server_stats: () => reply('server_stats', this.serverStats()),
    ping: () => reply('pong', { server_time: new Date().toISOString() }),
  };
  /** This instance's pub/sub connection, as the Redis subscriber last reported it. */
  private redisUp = false;
  /** What sockets were last told (connection_established carries the status of its moment). */
  private lastStatus: Pick<ServiceStatusEvent, 'redis' | 'live_prices'> = {
    redis: 'down',
    live_prices: false,
  };

  @WebSocketServer()
  private server: MarketServer | undefined;
  private readonly conflator = new PriceConflator((latest) => this.flushBatches(latest));
  /** Parsed pairs of each live batch group room (the names are the pair-sets); pruned when a room empties. */
  private readonly groups = new Map<string, string[]>();

  constructor(
    private readonly config: AppConfig,
    private readonly requests: SocketRequests,
    private readonly metrics: PrometheusService,
    private readonly socketAuth: SocketAuthService,
  ) {}

  afterInit(server: MarketServer): void {
    const max = this.config.websocket.maxClients;
    const adapter = server.of('/').adapter;
    adapter.on('create-room', (room: string) => {
      const pairs = groupRoomPairs(room);
      if (pairs) this.groups.set(room, pairs);
    });
    adapter.on('delete-room', (room: string) => this.groups.delete(room));
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

  async handleConnection(socket: MarketSocket): Promise<void> {
    this.metrics.setSocketClients(this.registry.connect());
    // First, so nothing the client sends while the handshake pairs are joined is missed.
    socket.onAny((event: unknown, ...args: unknown[]) => {
      this.dispatch(socket, event, args).catch((error: unknown) =>
        this.logger.error(`answering "${eventName(event)}" failed: ${describe(error)}`),
      );
    });
    try {
      // The owner's room: alert_triggered goes to the sockets of the key that owns the rule, only.
      const owner = this.socketAuth.ownerOf(socket.id);
      if (owner !== null) await socket.join(ownerRoom(owner));
      const { rejected, problem } = await this.joinHandshakePairs(socket);
      this.emit(socket, 'connection_established', {
        client_id: socket.id,
        server_time: new Date().toISOString(),
        available_pairs: [...this.config.market.instruments],
        pairs: subscriptionsOf(socket),
        rejected,
        service_status: this.serviceStatus(),
      });
      if (problem) this.error(socket, 'handshake', problem);
    } catch (error) {
      this.logger.error(`connection ${socket.id} setup failed: ${describe(error)}`);
      this.error(socket, 'handshake', fail('internal_error', 'could not set up this connection'));
    }
  }

  /**
   * `auth.pairs` from the handshake: how a client gets its rooms back after
   * a server restart (the new process knows nothing of the old one's rooms).
   * Bad names are reported, never a reason to refuse the connection; other
   * auth keys (an API token, ...) are not this method's business.
   */
  private async joinHandshakePairs(
    socket: MarketSocket,
  ): Promise<{ rejected: string[]; problem?: Failure }> {
    const auth = socket.handshake.auth as HandshakeAuth | undefined;
    // A recovered session already has its rooms, including unsubscribes made after the handshake.
    if (socket.recovered || auth?.pairs === undefined) return { rejected: [] };
    const parsed = parsePairSelection({ pairs: auth.pairs }, this.config.market.instruments);
    if (!parsed.ok)
      return {
        rejected: [echo(auth.pairs)],
        problem: fail('invalid_payload', `auth.pairs: ${parsed.message}`),
      };
    const { accepted, rejected, malformed } = parsed.value;
    await socket.join(accepted.map(priceRoom));
    const batch = parseBatchFlag(auth, 'auth.batch');
    if (!batch.ok) return { rejected, problem: fail('invalid_payload', batch.message) };
    if (batch.value !== undefined) socket.data.batch = batch.value;
    await this.regroup(socket);
    return { rejected, problem: namingProblem('auth.pairs', rejected, malformed) };
  }

  handleDisconnect(): void {
    this.metrics.setSocketClients(this.registry.disconnect());
  }

  /** `price_update` to the instrument's room, except its batched sockets (they get it in the burst's `price_batch`). */
  broadcastPriceUpdate(event: PriceUpdateEvent): void {
    if (!this.server) return;
    const rooms = this.server.of('/').adapter.rooms;
    const room = priceRoom(event.instrument);
    if (this.groups.size > 0) this.conflator.offer(event);
    const batched = this.groups.size > 0 ? this.batchedMembers(event.instrument) : 0;
    const recipients = (rooms.get(room)?.size ?? 0) - batched;
    if (recipients === 0 && !this.config.websocket.stateRecoveryMs) return;
    const target = batched > 0 ? this.server.to(room).except(BATCH_ROOM) : this.server.to(room);
    target.emit('price_update', event);
    this.sent('price_update', recipients);
  }

  /** Conflator flush: one `price_batch` per group room whose pairs ticked in the burst. */
  private flushBatches(latest: ReadonlyMap<string, PriceUpdateEvent>): void {
    if (!this.server) return;
    const rooms = this.server.of('/').adapter.rooms;
    const timestamp = new Date().toISOString();
    for (const [room, pairs] of this.groups) {
      const prices = batchFor(pairs, latest);
      const members = rooms.get(room)?.size ?? 0;
      if (prices.length === 0 || members === 0) continue;
      this.server.to(room).emit('price_batch', { prices, timestamp });
      this.sent('price_batch', members);
    }
  }

  /** Batched sockets in an instrument's room: the members of the group rooms that include it. */
  private batchedMembers(instrument: string): number {
    const rooms = this.server?.of('/').adapter.rooms;
    if (!rooms) return 0;
    let n = 0;
    for (const [room, pairs] of this.groups)
      if (pairs.includes(instrument)) n += rooms.get(room)?.size ?? 0;
    return n;
  }

  /**
   * Puts a socket into the batch group room of its current pairs (and the
   * BATCH_ROOM marker), or takes it out of both when it is not batched or has
   * no pairs. Called after every change to its pairs or its batch flag.
   */
  private async regroup(socket: MarketSocket): Promise<void> {
    const pairs = subscriptionsOf(socket);
    const group = socket.data.batch && pairs.length > 0 ? batchGroupRoom(pairs) : undefined;
    if (group === socket.data.group) return;
    if (socket.data.group) await socket.leave(socket.data.group);
    if (group) await socket.join([BATCH_ROOM, group]);
    else await socket.leave(BATCH_ROOM);
    socket.data.group = group;
  }

  /** `volatility_alert` to the instrument's room. */
  broadcastVolatilityAlert(event: VolatilityAlertEvent): void {
    this.toRooms('volatility_alert', event, [priceRoom(event.instrument)]);
  }

  /** `correlation_alert` to both pairs' rooms; a socket in both gets it once (Socket.IO dedupes `to([a, b])`). */
  broadcastCorrelationAlert(event: CorrelationAlertEvent): void {
    this.toRooms('correlation_alert', event, [priceRoom(event.pair1), priceRoom(event.pair2)]);
  }

  /** `alert_triggered` to the owner's sockets on this instance (the channel message minus the owner). */
  broadcastAlertTriggered(message: AlertTriggeredMessage): void {
    this.toRooms('alert_triggered', message.event, [ownerRoom(message.owner_key_id)]);
  }

  /** `data_ready` to every client of this instance. */
  broadcastDataReady(event: DataReadyEvent): void {
    if (!this.server) return;
    const recipients = this.server.of('/').sockets.size;
    if (recipients === 0 && !this.config.websocket.stateRecoveryMs) return;
    this.server.emit('data_ready', event);
    this.sent('data_ready', recipients);
  }

  /**
   * Whether live events reach this instance's sockets. While Redis is down
   * the stream leader still delivers its ticks to its own sockets (see
   * EventPublisher), so only there `live_prices` stays true.
   */
  serviceStatus(): ServiceStatusEvent {
    return {
      redis: this.redisUp ? 'up' : 'down',
      live_prices:
        this.redisUp || (this.requests.liveFeed.enabled && this.requests.liveFeed.isLeader),
      timestamp: new Date().toISOString(),
    };
  }

  /** Called by the Redis subscriber on connection changes (and periodically): tells every socket when the status changed. */
  refreshServiceStatus(redisUp: boolean): void {
    this.redisUp = redisUp;
    const status = this.serviceStatus();
    const last = this.lastStatus;
    if (last.redis === status.redis && last.live_prices === status.live_prices) return;
    this.lastStatus = { redis: status.redis, live_prices: status.live_prices };
    if (!this.server) return;
    const recipients = this.server.of('/').sockets.size;
    this.logger.log(`service status: redis ${status.redis}, live prices ${status.live_prices}`);
    if (recipients === 0) return;
    this.server.emit('service_status', status);
    this.sent('service_status', recipients);
  }

  /** Socket.IO numbers for health and `server_stats`. */
  serverStats(): Parameters<ServerToClientEvents['server_stats']>[0] {
    return {
      ...this.registry.snapshot(),
      rooms: this.server ? priceRoomSizes(this.server.of('/').adapter.rooms) : {},
      instance_id: this.config.app.instanceId,
      max_clients: this.config.websocket.maxClients,
      price_stream_leader: this.requests.liveFeed.isLeader,
    };
  }

  private toRooms<E extends 'volatility_alert' | 'correlation_alert' | 'alert_triggered'>(
    event: E,
    payload: Parameters<ServerToClientEvents[E]>[0],
    rooms: string[],
  ): void {
    if (!this.server) return;
    const recipients = distinctMembers(this.server.of('/').adapter.rooms, rooms);
    // Nobody listening: skip encoding the packet at all (most ticks on a quiet instance), unless
    // connection-state recovery keeps it for a socket that is away for a moment.
    if (recipients === 0 && !this.config.websocket.stateRecoveryMs) return;
    (this.server.to(rooms).emit as (e: E, p: typeof payload) => boolean)(event, payload);
    this.sent(event, recipients);
  }

  /** Answers one client event: reply event, acknowledgement (if the client passed a callback), or both. */
  private async dispatch(socket: MarketSocket, event: unknown, args: unknown[]): Promise<void> {
    const name = eventName(event);
    const last = args[args.length - 1];
    const ack = typeof last === 'function' ? (last as (reply: unknown) => void) : undefined;
    // An ack callback, if the client passed one, is not part of the payload.
    const payload = typeof args[0] === 'function' ? undefined : args[0];
    let answer: Reply;
    try {
      answer = await this.handle(socket, event, name, payload);
    } catch (error) {
      this.logger.error(`handling "${name}" from ${socket.id} failed: ${describe(error)}`);
      answer = fail('internal_error', `could not handle "${name}"; try again`);
    }
    if ('error' in answer) {
      if (!answer.quiet) this.error(socket, name, answer);
      ack?.({ error: answer.error });
      return;
    }
    this.emit(socket, answer.event, answer.payload);
    if (answer.notice) this.error(socket, name, { error: answer.notice });
    ack?.(answer.payload);
  }

  private handle(
    socket: MarketSocket,
    event: unknown,
    name: string,
    payload: unknown,
  ): Reply | Promise<Reply> {
    const now = Date.now();
    socket.data.bucket ??= new TokenBucket(this.config.websocket.rateLimitPerSecond);
    if (!socket.data.bucket.take(now)) {
      this.registry.rateLimited();
      const noticeDue = now - (socket.data.lastLimitNotice ?? 0) >= LIMIT_NOTICE_MS;
      if (noticeDue) socket.data.lastLimitNotice = now;
      return {
        ...fail(
          'rate_limited',
          `more than ${this.config.websocket.rateLimitPerSecond} messages per second; "${name}" was dropped`,
        ),
        quiet: !noticeDue,
      };
    }
    // Socket.IO passes strings and numbers as event names; only a string can name a handler.
    const handler =
      typeof event === 'string' && Object.hasOwn(this.handlers, event)
        ? this.handlers[event as ClientEvent]
        : undefined;
    if (!handler)
      return fail(
        'unknown_event',
        `unknown event "${name}"; known: ${Object.keys(this.handlers).join(', ')}`,
      );
    return handler(socket, payload);
  }

  private async subscribe(socket: MarketSocket, payload: unknown): Promise<Reply> {
    const parsed = parsePairSelection(payload, this.config.market.instruments);
    if (!parsed.ok) return fail('invalid_payload', `subscribe: ${parsed.message}`);
    const batch = parseBatchFlag(payload);
    if (!batch.ok) return fail('invalid_payload', `subscribe: ${batch.message}`);
    const { accepted, rejected, malformed } = parsed.value;
    const added = accepted.filter((pair) => !socket.rooms.has(priceRoom(pair)));
    await socket.join(added.map(priceRoom));
    if (batch.value !== undefined) socket.data.batch = batch.value;
    await this.regroup(socket);
    return {
      event: 'subscription_confirmed',
      payload: { pairs: added, pair_count: subscriptionsOf(socket).length, rejected },
      notice: namingProblem('pairs', rejected, malformed)?.error,
    };
  }

  private async unsubscribe(socket: MarketSocket, payload: unknown): Promise<Reply> {
    const parsed = parsePairSelection(payload, this.config.market.instruments);
    if (!parsed.ok) return fail('invalid_payload', `unsubscribe: ${parsed.message}`);
    const { accepted, rejected, malformed } = parsed.value;
    const removed = accepted.filter((pair) => socket.rooms.has(priceRoom(pair)));
    for (const pair of removed) await socket.leave(priceRoom(pair));
    await this.regroup(socket);
    return {
      event: 'unsubscription_confirmed',
      payload: { pairs: removed, pair_count: subscriptionsOf(socket).length, rejected },
      notice: namingProblem('pairs', rejected, malformed)?.error,
    };
  }

  /** `error` naming the client event (or `handshake`) that caused it. */
  private error(socket: MarketSocket, event: string, failure: Failure): void {
    this.emit(socket, 'error', { ...failure.error, event });
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

/**
 * The notice for names a subscribe / unsubscribe / handshake left out: wrong
 * case or shape is `invalid_instrument` (REST's 400), well formed but not
 * tracked `unknown_instrument` (REST's 404). `rejected` lists them either way.
 */
function namingProblem(
  field: string,
  rejected: readonly string[],
  malformed: readonly string[],
): Failure | undefined {
  if (malformed.length > 0)
    return fail(
      'invalid_instrument',
      `${field}: not OANDA instrument names (upper case, like EUR_USD): ${malformed.map((n) => `"${n}"`).join(', ')}`,
    );
  if (rejected.length > 0)
    return fail('unknown_instrument', `${field}: not tracked here: ${rejected.join(', ')}`);
  return undefined;
}

const describe = (error: unknown): string =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);

/** The instruments a socket is subscribed to (its price rooms). */
function subscriptionsOf(socket: MarketSocket): string[] {
  const pairs: string[] = [];
  for (const room of socket.rooms)
    if (room.startsWith(ROOM_PREFIX)) pairs.push(room.slice(ROOM_PREFIX.length));
  return pairs;
}
