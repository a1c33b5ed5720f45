import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  CorrelationAlertEvent,
  DataReadyEvent,
  PriceUpdateEvent,
  ServerToClientEvents,
  VolatilityAlertEvent,
} from './types';

export type ConnectionState =
  'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'unauthorized' | 'refused';

export type LiveAlert =
  | { kind: 'volatility'; event: VolatilityAlertEvent }
  | { kind: 'correlation'; event: CorrelationAlertEvent };

type Listener<T> = (value: T) => void;

class Emitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  on(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(value: T): void {
    for (const listener of this.listeners) listener(value);
  }
}

/**
 * The page's one Socket.IO connection. Prices reach listeners as arrays:
 * a `price_update` is a batch of one, so `price_batch` (DESIGN.md section 6)
 * only needs one more handler feeding the same emitter.
 */
export class LiveFeed {
  readonly prices = new Emitter<PriceUpdateEvent[]>();
  readonly alerts = new Emitter<LiveAlert>();
  readonly dataReady = new Emitter<DataReadyEvent>();
  readonly state = new Emitter<ConnectionState>();
  current: ConnectionState = 'connecting';
  lastError: string | null = null;
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;

  connect(token: string | null): void {
    this.close();
    this.setState('connecting');
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      // The key travels in the handshake, never in the URL; `pairs` restores the rooms on reconnect.
      auth: token ? { token, pairs: 'all' } : { pairs: 'all' },
      // WebSocket straight away: no long-poll requests holding the browser's six connections per host.
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.lastError = null;
      this.setState('connected');
      socket.emit('subscribe', { pairs: 'all' });
    });
    socket.on('disconnect', (reason) => {
      // The server (or we) closed it on purpose: no automatic reconnect follows.
      this.setState(
        reason === 'io server disconnect' || reason === 'io client disconnect'
          ? 'disconnected'
          : 'reconnecting',
      );
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', (error: Error & { data?: { code?: string; message?: string } }) => {
      const code = error.data?.code;
      this.lastError = error.data?.message ?? error.message;
      if (code === 'unauthorized') {
        socket.disconnect();
        this.setState('unauthorized');
      } else if (code === 'max_connections' || code === 'max_clients') {
        this.setState('refused');
      } else if (!socket.active) {
        this.setState('disconnected');
      } else {
        this.setState('reconnecting');
      }
    });
    socket.io.on('reconnect_attempt', () => this.setState('reconnecting'));
    socket.on('price_update', (update) => this.prices.emit([update]));
    socket.on('volatility_alert', (event) => this.alerts.emit({ kind: 'volatility', event }));
    socket.on('correlation_alert', (event) => this.alerts.emit({ kind: 'correlation', event }));
    socket.on('data_ready', (event) => this.dataReady.emit(event));
    socket.on('error', (event) => {
      // A refused request (rate limit, bad payload) keeps the connection; show it, do not throw.
      this.lastError = `${event.code}: ${event.message}`;
    });
  }

  close(): void {
    this.socket?.removeAllListeners();
    this.socket?.io.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    this.state.emit(state);
  }
}
