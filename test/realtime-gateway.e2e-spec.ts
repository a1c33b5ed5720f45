import { createClient } from 'redis';
import WebSocket from 'ws';
import { EventPublisher } from '../src/platform/pubsub/event-publisher.service';
import { MarketGateway } from '../src/streaming/market.gateway';
import {
  CorrelationAlertEvent,
  DataReadyEvent,
  PriceUpdateEvent,
  VolatilityAlertEvent,
} from '../src/platform/pubsub/events';
import { RecordingClient, sleep } from './utils/realtime-client';
import { freePort } from './utils/redis-server';
import { startTestApp, TestApp } from './utils/test-app';
import { TEST_REDIS_URL } from './utils/test-env';
import { waitFor } from './utils/wait-for';

const now = () => new Date().toISOString();
const price = (instrument: string, bid = 1.1): PriceUpdateEvent => ({
  instrument,
  price: { bid, ask: bid + 0.0002, mid: bid + 0.0001, time: now() },
  timestamp: now(),
});
const volatility = (instrument: string): VolatilityAlertEvent => ({
  instrument,
  volatility: 0.21,
  threshold: 0.15,
  severity: 'warning',
  message: `${instrument} volatility_20 is 1.6x volatility_50`,
  timestamp: now(),
});
const correlation = (pair1: string, pair2: string): CorrelationAlertEvent => ({
  pair1,
  pair2,
  correlation: 0.75,
  previous: 0.5,
  threshold: 0.2,
  severity: 'warning',
  message: `${pair1}/${pair2} correlation moved from 0.50 to 0.75`,
  timestamp: now(),
});
let sentinelCount = 0;
const sentinel = (): DataReadyEvent => ({
  data_type: 'volatility',
  count: ++sentinelCount,
  timestamp: now(),
});

describe(MarketGateway.name, () => {
  let t: TestApp;
  let publisher: EventPublisher;
  const clients: RecordingClient[] = [];
  const connect = async (
    url = t.url,
    options: Parameters<typeof RecordingClient.connect>[1] = {},
  ) => {
    const c = await RecordingClient.connect(url, options);
    clients.push(c);
    return c;
  };
  const subscribe = (c: RecordingClient, pairs: string[] | 'all') =>
    c.request('subscription_confirmed', (s) => s.emit('subscribe', { pairs }));
  /**
   * Publishes a data_ready marker and waits until every client got it. Redis
   * delivers one connection's messages in order and each socket receives in
   * order, so once the marker is in, anything published before it is too.
   */
  const settle = async (...cs: RecordingClient[]) => {
    const marker = sentinel();
    await publisher.publish('data_ready', marker);
    await Promise.all(cs.map((c) => c.waitFor('data_ready', (p) => p.count === marker.count)));
  };

  beforeAll(async () => {
    t = await startTestApp({ WS_RATE_LIMIT_PER_SECOND: '10' }, 'rt_gateway');
    publisher = t.app.get(EventPublisher);
    // Exact decimal strings, as the provider gives them: the last (11:00) candle is the one served.
    const candles = [
      ['2026-01-05T10:00:00Z', '1.085', '1.0852', '1.0851'],
      ['2026-01-05T11:00:00Z', '1.086', '1.0862', '1.0861'],
    ];
    for (const [time, bid, ask, mid] of candles) {
      await t.dataSource.query(
        `INSERT INTO oanda_candles (instrument, time, granularity, open_bid, high_bid, low_bid, close_bid,
           open_ask, high_ask, low_ask, close_ask, open_mid, high_mid, low_mid, close_mid, volume, complete)
         VALUES ('EUR_USD', $1, 'H1', 1.08, 1.09, 1.07, $2, 1.0802, 1.0902, 1.0702, $3, 1.0801, 1.0901, 1.0701, $4, 100, true)`,
        [time, bid, ask, mid],
      );
    }
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await t?.close();
  });

  it('should greet a new client with connection_established', async () => {
    const c = await connect();
    const [hello] = c.of('connection_established');
    expect(hello.client_id).toBe(c.socket.id);
    expect(Date.parse(hello.server_time)).not.toBeNaN();
    expect(hello.available_pairs).toHaveLength(20);
    expect(hello.available_pairs).toContain('EUR_USD');
    expect(hello.pairs).toEqual([]);
    expect(hello.rejected).toEqual([]);
    expect(hello.service_status).toMatchObject({ redis: 'up', live_prices: true });
    expect(Date.parse(hello.service_status.timestamp)).not.toBeNaN();
  });

  it('should subscribe the handshake auth.pairs at connect and list them in connection_established', async () => {
    const c = await connect(t.url, {
      auth: { pairs: ['EUR_USD', 'usd_jpy', 'ABC_DEF', 'GBP_USD'], token: 'someone-elses-key' },
    });
    const [hello] = c.of('connection_established');
    expect(hello.pairs.sort()).toEqual(['EUR_USD', 'GBP_USD']);
    expect(hello.rejected).toEqual(['usd_jpy', 'ABC_DEF']);
    const notice = await c.waitFor('error', (e) => e.event === 'handshake');
    expect(notice).toMatchObject({ code: 'invalid_instrument', event: 'handshake' });
    expect(notice.message).toMatch(/auth\.pairs: .*"usd_jpy"/);
    await publisher.publish('price_updates', price('GBP_USD', 1.2711));
    await settle(c);
    expect(c.of('price_update').map((p) => p.instrument)).toEqual(['GBP_USD']);
    const all = await connect(t.url, { auth: { pairs: 'all' } });
    expect(all.of('connection_established')[0].pairs).toHaveLength(20);
  });

  it('should accept a connection whose handshake pairs are unusable, and say why', async () => {
    for (const pairs of [5, 'ALL', { a: 1 }, 'x'.repeat(5_000)]) {
      const c = await connect(t.url, { auth: { pairs } });
      const [hello] = c.of('connection_established');
      expect(hello.pairs).toEqual([]);
      expect(hello.rejected).toHaveLength(1);
      expect(hello.rejected[0].length).toBeLessThanOrEqual(43);
      const notice = await c.waitFor('error', (e) => e.event === 'handshake');
      expect(notice.code).toBe('invalid_payload');
      expect(c.connected).toBe(true);
    }
  });

  it('should confirm a subscription and name the rejected pairs', async () => {
    const c = await connect();
    const confirmed = await subscribe(c, ['EUR_USD', 'gbp_usd', 'BOGUS', 'ABC_DEF', 'EUR_USD']);
    expect(confirmed).toEqual({
      pairs: ['EUR_USD'],
      pair_count: 1,
      rejected: ['gbp_usd', 'BOGUS', 'ABC_DEF'],
    });
    // Lower case is not an instrument name on REST (400) nor here: an error names event and field.
    const notice = await c.waitFor('error', (e) => e.event === 'subscribe');
    expect(notice.code).toBe('invalid_instrument');
    expect(notice.message).toMatch(/^pairs: .*"gbp_usd", "BOGUS"/);
    const info = await c.request('subscriptions_info', (s) => s.emit('get_subscriptions'));
    expect(info.pairs).toEqual(['EUR_USD']);
  });

  it('should list in subscription_confirmed only the pairs this request added', async () => {
    const c = await connect();
    await subscribe(c, ['EUR_USD', 'USD_JPY']);
    const again = await subscribe(c, ['USD_JPY', 'AUD_USD']);
    expect(again).toEqual({ pairs: ['AUD_USD'], pair_count: 3, rejected: [] });
    const all = await subscribe(c, 'all');
    expect(all.pair_count).toBe(20);
    expect(all.pairs).toHaveLength(17);
    expect(all.pairs).not.toContain('EUR_USD');
  });

  it('should subscribe to every tracked pair with "all" and refuse "ALL" naming the rule', async () => {
    const c = await connect();
    const confirmed = await subscribe(c, 'all');
    expect(confirmed.pair_count).toBe(20);
    expect(confirmed.rejected).toEqual([]);
    const other = await connect();
    const refused = await other.request('error', (s) =>
      s.emit('subscribe', { pairs: 'ALL' as never }),
    );
    expect(refused).toEqual({
      code: 'invalid_payload',
      event: 'subscribe',
      message:
        'subscribe: pairs must be an array of instrument names or the keyword "all" in lower case (got "ALL")',
    });
  });

  it('should unsubscribe and report the remaining subscriptions', async () => {
    const c = await connect();
    await subscribe(c, ['EUR_USD', 'USD_JPY', 'AUD_USD']);
    const left = await c.request('unsubscription_confirmed', (s) =>
      s.emit('unsubscribe', { pairs: ['USD_JPY', 'NOPE'] }),
    );
    expect(left).toEqual({ pairs: ['USD_JPY'], pair_count: 2, rejected: ['NOPE'] });
    const info = await c.request('subscriptions_info', (s) => s.emit('get_subscriptions'));
    expect(info.pairs.sort()).toEqual(['AUD_USD', 'EUR_USD']);
  });

  it('should list in unsubscription_confirmed only the pairs the socket had', async () => {
    const c = await connect();
    await subscribe(c, ['EUR_USD', 'USD_JPY']);
    const some = await c.request('unsubscription_confirmed', (s) =>
      s.emit('unsubscribe', { pairs: ['USD_JPY', 'GBP_USD'] }),
    );
    expect(some).toEqual({ pairs: ['USD_JPY'], pair_count: 1, rejected: [] });
    const all = await c.request('unsubscription_confirmed', (s) =>
      s.emit('unsubscribe', { pairs: 'all' }),
    );
    expect(all).toEqual({ pairs: ['EUR_USD'], pair_count: 0, rejected: [] });
    const lower = await c.request('unsubscription_confirmed', (s) =>
      s.emit('unsubscribe', { pairs: ['eur_usd'] }),
    );
    expect(lower).toEqual({ pairs: [], pair_count: 0, rejected: ['eur_usd'] });
    const notice = await c.waitFor('error', (e) => e.event === 'unsubscribe');
    expect(notice.code).toBe('invalid_instrument');
  });

  it('should answer every request event through the acknowledgement callback too', async () => {
    const c = await connect();
    const s = c.socket;
    const subscribed = await s.timeout(5_000).emitWithAck('subscribe', { pairs: ['EUR_USD'] });
    expect(subscribed).toEqual({ pairs: ['EUR_USD'], pair_count: 1, rejected: [] });
    expect(await s.timeout(5_000).emitWithAck('get_subscriptions')).toEqual({
      pairs: ['EUR_USD'],
    });
    expect(await s.timeout(5_000).emitWithAck('request_price', { instrument: 'EUR_USD' })).toEqual(
      expect.objectContaining({ instrument: 'EUR_USD', bid: 1.086, source: 'candle' }),
    );
    const all = await s.timeout(5_000).emitWithAck('request_all_prices');
    expect('count' in all && all.count).toBe(1);
    const stats = await s.timeout(5_000).emitWithAck('get_server_stats');
    expect('clients' in stats && stats.clients).toBeGreaterThanOrEqual(1);
    const pong = await s.timeout(5_000).emitWithAck('ping');
    expect('server_time' in pong && Date.parse(pong.server_time)).not.toBeNaN();
    expect(await s.timeout(5_000).emitWithAck('unsubscribe', { pairs: 'all' })).toEqual({
      pairs: ['EUR_USD'],
      pair_count: 0,
      rejected: [],
    });
    // The reply events still come as well, for clients that listen instead of acknowledging.
    expect(c.of('subscription_confirmed')).toHaveLength(1);
    expect(c.of('pong')).toHaveLength(1);
  });

  it('should answer a failed request through the acknowledgement with {error: {code, message}}', async () => {
    const c = await connect();
    const s = c.socket;
    expect(await s.timeout(5_000).emitWithAck('request_price', { instrument: 'eur_usd' })).toEqual({
      error: {
        code: 'invalid_instrument',
        message:
          'request_price: instrument must be an OANDA instrument name in upper case such as EUR_USD (got "eur_usd")',
      },
    });
    expect(await s.timeout(5_000).emitWithAck('subscribe', { pairs: 5 })).toEqual({
      error: { code: 'invalid_payload', message: expect.stringMatching(/pairs must be/) },
    });
    const unknown = (s.timeout(5_000).emitWithAck as (e: string) => Promise<unknown>)('nope');
    expect(await unknown).toEqual({
      error: { code: 'unknown_event', message: expect.stringMatching(/unknown event "nope"/) },
    });
    // ...and the error event for the same failures names the event that caused it.
    expect(c.of('error').map((e) => e.event)).toEqual(['request_price', 'subscribe', 'nope']);
  });

  it('should answer request_price from the last candle when no live tick is cached', async () => {
    const c = await connect();
    const reply = await c.request('price_response', (s) =>
      s.emit('request_price', { instrument: 'EUR_USD' }),
    );
    expect(reply).toEqual({
      instrument: 'EUR_USD',
      bid: 1.086,
      ask: 1.0862,
      mid: 1.0861,
      spread: 0.0002,
      time: '2026-01-05T12:00:00.000Z',
      source: 'candle',
    });
  });

  it('should answer request_price with an error for bad, untracked and unpriced instruments', async () => {
    const c = await connect();
    const bad = await c.request('error', (s) => s.emit('request_price', { instrument: 'EURUSD' }));
    expect(bad.code).toBe('invalid_instrument');
    expect(bad.message).toMatch(/EURUSD/);
    const lower = await c.request('error', (s) =>
      s.emit('request_price', { instrument: 'eur_usd' }),
    );
    expect(lower).toMatchObject({ code: 'invalid_instrument', event: 'request_price' });
    const untracked = await c.request('error', (s) =>
      s.emit('request_price', { instrument: 'ABC_DEF' }),
    );
    expect(untracked.code).toBe('unknown_instrument');
    const unpriced = await c.request('error', (s) =>
      s.emit('request_price', { instrument: 'USD_ZAR' }),
    );
    expect(unpriced.code).toBe('no_price');
    expect(c.connected).toBe(true);
  });

  it('should answer request_all_prices with every instrument that has a price', async () => {
    const c = await connect();
    const all = await c.request('all_prices_response', (s) => s.emit('request_all_prices'));
    expect(all.count).toBe(1);
    expect(all.prices.map((p) => p.instrument)).toEqual(['EUR_USD']);
    expect(Date.parse(all.timestamp)).not.toBeNaN();
  });

  it('should report server_stats with clients, rooms, uptime and messages sent', async () => {
    const c = await connect();
    await subscribe(c, ['NZD_USD']);
    const stats = await c.request('server_stats', (s) => s.emit('get_server_stats'));
    expect(stats.clients).toBeGreaterThanOrEqual(1);
    expect(stats.rooms.price_NZD_USD).toBeGreaterThanOrEqual(1);
    expect(stats.uptime).toBeGreaterThanOrEqual(0);
    expect(stats.messages_sent).toBeGreaterThan(0);
    expect(typeof stats.instance_id).toBe('string');
    expect(stats.price_stream_leader).toBe(false);
  });

  it('should answer ping with pong and the server time', async () => {
    const c = await connect();
    const pong = await c.request('pong', (s) => s.emit('ping'));
    expect(Date.parse(pong.server_time)).not.toBeNaN();
  });

  it('should deliver price_update only to the rooms of its instrument', async () => {
    const eur = await connect();
    const gbp = await connect();
    const none = await connect();
    await subscribe(eur, ['EUR_USD']);
    await subscribe(gbp, ['GBP_USD']);
    await publisher.publish('price_updates', price('EUR_USD', 1.1));
    await publisher.publish('price_updates', price('GBP_USD', 1.27));
    await publisher.publish('price_updates', price('USD_JPY', 150.1));
    await settle(eur, gbp, none);
    expect(eur.of('price_update').map((p) => p.instrument)).toEqual(['EUR_USD']);
    expect(gbp.of('price_update').map((p) => p.instrument)).toEqual(['GBP_USD']);
    expect(none.of('price_update')).toEqual([]);
    expect(eur.of('price_update')[0].price.bid).toBe(1.1);
  });

  it('should stop delivering a pair after unsubscribe', async () => {
    const c = await connect();
    await subscribe(c, ['USD_CAD']);
    await publisher.publish('price_updates', price('USD_CAD', 1.36));
    await settle(c);
    await c.request('unsubscription_confirmed', (s) => s.emit('unsubscribe', { pairs: 'all' }));
    await publisher.publish('price_updates', price('USD_CAD', 1.37));
    await settle(c);
    expect(c.of('price_update').map((p) => p.price.bid)).toEqual([1.36]);
  });

  it('should route volatility_alert to the instrument room only', async () => {
    const inRoom = await connect();
    const other = await connect();
    await subscribe(inRoom, ['USD_CHF']);
    await subscribe(other, ['EUR_GBP']);
    await publisher.publish('volatility_alerts', volatility('USD_CHF'));
    await settle(inRoom, other);
    expect(inRoom.of('volatility_alert')).toHaveLength(1);
    expect(inRoom.of('volatility_alert')[0].severity).toBe('warning');
    expect(other.of('volatility_alert')).toEqual([]);
  });

  it('should send correlation_alert to both pairs rooms, once to a socket in both', async () => {
    const both = await connect();
    const first = await connect();
    const second = await connect();
    const neither = await connect();
    await subscribe(both, ['EUR_JPY', 'GBP_JPY']);
    await subscribe(first, ['EUR_JPY']);
    await subscribe(second, ['GBP_JPY']);
    await subscribe(neither, ['CAD_JPY']);
    await publisher.publish('correlation_alerts', correlation('EUR_JPY', 'GBP_JPY'));
    await settle(both, first, second, neither);
    expect(both.of('correlation_alert')).toHaveLength(1);
    expect(first.of('correlation_alert')).toHaveLength(1);
    expect(second.of('correlation_alert')).toHaveLength(1);
    expect(neither.of('correlation_alert')).toEqual([]);
    expect(both.of('correlation_alert')[0]).toMatchObject({ pair1: 'EUR_JPY', pair2: 'GBP_JPY' });
  });

  it('should send data_ready to every client, subscribed or not', async () => {
    const subscribed = await connect();
    const idle = await connect();
    await subscribe(subscribed, ['AUD_JPY']);
    await publisher.publish('data_ready', {
      data_type: 'correlation',
      count: 190,
      timestamp: now(),
    });
    const [a, b] = await Promise.all(
      [subscribed, idle].map((c) => c.waitFor('data_ready', (p) => p.data_type === 'correlation')),
    );
    expect(a.count).toBe(190);
    expect(b.count).toBe(190);
  });

  it('should drop malformed Redis messages and keep delivering valid ones', async () => {
    const c = await connect();
    await subscribe(c, ['EUR_AUD']);
    const raw = createClient({ url: TEST_REDIS_URL });
    await raw.connect();
    try {
      await raw.publish(publisher.channelName('price_updates'), 'not json');
      await raw.publish(
        publisher.channelName('price_updates'),
        JSON.stringify({ instrument: 'EUR_AUD', price: { bid: 'x' } }),
      );
      // Raw PUBLISH on the prefixed channel is exactly what another instance does.
      await raw.publish(
        publisher.channelName('price_updates'),
        JSON.stringify(price('EUR_AUD', 1.645)),
      );
    } finally {
      await raw.close();
    }
    await settle(c);
    expect(c.of('price_update').map((p) => p.price.bid)).toEqual([1.645]);
  });

  it('should answer bad payloads with error and keep the connection up', async () => {
    const c = await connect();
    const emit = (c.socket.emit as (e: unknown, ...args: unknown[]) => void).bind(c.socket);
    const cases: Array<[(s: RecordingClient['socket']) => void, string, RegExp, string]> = [
      [
        (s) => s.emit('subscribe', { pairs: 5 } as never),
        'invalid_payload',
        /pairs must be/,
        'subscribe',
      ],
      [() => emit('subscribe'), 'invalid_payload', /payload must be/, 'subscribe'],
      [
        (s) => s.emit('request_price', 'EUR_USD' as never),
        'invalid_payload',
        /instrument/,
        'request_price',
      ],
      [() => emit('no_such_event'), 'unknown_event', /no_such_event/, 'no_such_event'],
      // A number is a valid Socket.IO event name; on main it threw and ended the process.
      [() => emit(123), 'unknown_event', /unknown event "123"/, '123'],
      [
        () => emit('e'.repeat(5_000)),
        'unknown_event',
        /unknown event "e{40}\.\.\."/,
        `${'e'.repeat(40)}...`,
      ],
    ];
    for (const [send, code, message, event] of cases) {
      const error = await c.request('error', send);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.event).toBe(event);
    }
    await sleep(50);
    expect(c.connected).toBe(true);
    const pong = await c.request('pong', (s) => s.emit('ping'));
    expect(pong.server_time).toBeDefined();
  });

  it('should turn a failing handler into internal_error naming the event, and keep serving', async () => {
    const c = await connect();
    // A real fault: the price query fails in PostgreSQL (USD_CHF has no cached price, so it is
    // queried; the lookup starts at candle_summary, then reads oanda_candles).
    await t.dataSource.query('ALTER TABLE candle_summary RENAME TO candle_summary_away');
    try {
      const failed = await c.request('error', (s) =>
        s.emit('request_price', { instrument: 'USD_CHF' }),
      );
      expect(failed).toEqual({
        code: 'internal_error',
        event: 'request_price',
        message: 'could not handle "request_price"; try again',
      });
      const acked = await c.socket
        .timeout(5_000)
        .emitWithAck('request_price', { instrument: 'USD_CHF' });
      expect(acked).toEqual({ error: expect.objectContaining({ code: 'internal_error' }) });
    } finally {
      await t.dataSource.query('ALTER TABLE candle_summary_away RENAME TO candle_summary');
    }
    expect(c.connected).toBe(true);
    const pong = await c.request('pong', (s) => s.emit('ping'));
    expect(pong.server_time).toBeDefined();
  });

  it('should rate-limit a client that floods messages without disconnecting it', async () => {
    const c = await connect();
    await sleep(1_100); // a full bucket
    for (let i = 0; i < 40; i += 1) c.socket.emit('ping');
    const limited = await c.waitFor('error', (e) => e.code === 'rate_limited');
    expect(limited.message).toMatch(/10 messages per second/);
    expect(limited.event).toBe('ping');
    expect(c.connected).toBe(true);
    await sleep(1_100); // the bucket refills
    // Replies come in order, so once this one is in, every pong for the flood has arrived too.
    const info = await c.request('subscriptions_info', (s) => s.emit('get_subscriptions'));
    expect(info.pairs).toEqual([]);
    const pongs = c.of('pong').length;
    expect(pongs).toBeGreaterThanOrEqual(10);
    expect(pongs).toBeLessThan(40);
  });

  it('should count delivered messages in server_stats per event', async () => {
    const stats = t.app.get(MarketGateway).serverStats();
    expect(stats.messages_by_event).toMatchObject({
      connection_established: expect.any(Number),
      price_update: expect.any(Number),
      // both, first, second, and the three earlier sockets still subscribed to "all"
      correlation_alert: 6,
    });
  });
});

/** Opens a bare Engine.IO v4 websocket and resolves with the server's open packet (its settings). */
function engineHandshake(port: number): Promise<{ ws: WebSocket; open: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
    ws.once('error', reject);
    ws.once('message', (data) => {
      const text = (data as Buffer).toString();
      resolve({ ws, open: JSON.parse(text.slice(1)) as Record<string, unknown> });
    });
  });
}

describe(`${MarketGateway.name} limits`, () => {
  let t: TestApp;
  let wsPort: number;
  const clients: RecordingClient[] = [];
  /** Earlier tests' closed connections free their slots once the server has seen the close: retry until then. */
  const connectWhenFree = () =>
    waitFor(() => RecordingClient.connect(`http://127.0.0.1:${wsPort}`).catch(() => null));

  beforeAll(async () => {
    wsPort = await freePort();
    t = await startTestApp(
      {
        WS_MAX_CLIENTS: '2',
        WEBSOCKET_PORT: String(wsPort),
        WS_PING_INTERVAL_MS: '3000',
        WS_PING_TIMEOUT_MS: '1500',
        WS_MAX_MESSAGE_BYTES: '1024',
      },
      'rt_limits',
    );
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await t?.close();
  });

  it('should apply the configured ping interval, ping timeout and maximum message size', async () => {
    const { ws, open } = await engineHandshake(wsPort);
    try {
      expect(open).toMatchObject({ pingInterval: 3000, pingTimeout: 1500, maxPayload: 1024 });
    } finally {
      ws.close();
    }
  });

  it('should close a connection that sends a message larger than WS_MAX_MESSAGE_BYTES', async () => {
    const c = await connectWhenFree();
    const closed = new Promise<string>((resolve) => c.socket.once('disconnect', resolve));
    c.socket.emit('subscribe', { pairs: ['EUR_USD'.repeat(300)] });
    expect(await closed).toBe('transport close');
  });

  it('should serve Socket.IO on WEBSOCKET_PORT when it is set', async () => {
    clients.push(await connectWhenFree());
    expect(clients[0].of('connection_established')).toHaveLength(1);
  });

  it('should refuse the connection after WS_MAX_CLIENTS with a clear error', async () => {
    clients.push(await connectWhenFree());
    const error = await RecordingClient.refused(`http://127.0.0.1:${wsPort}`);
    expect(error.message).toMatch(/max_clients: this server accepts at most 2 clients/);
    expect(error.data?.code).toBe('max_clients');
    expect(clients.every((c) => c.connected)).toBe(true);
  });

  it('should accept a new client once a slot is free again', async () => {
    clients.shift()?.close();
    const c = await connectWhenFree();
    clients.push(c);
    expect(c.connected).toBe(true);
  });
});
