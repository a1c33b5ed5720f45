import { EventPublisher } from '../src/platform/pubsub/event-publisher.service';
import { MarketGateway } from '../src/streaming/market.gateway';
import { DataReadyEvent, PriceUpdateEvent } from '../src/platform/pubsub/events';
import { RecordingClient } from './utils/realtime-client';
import { startTestApp, TestApp } from './utils/test-app';

const now = () => new Date().toISOString();
const price = (instrument: string, bid: number): PriceUpdateEvent => ({
  instrument,
  price: { bid, ask: bid + 0.0002, mid: bid + 0.0001, time: now() },
  timestamp: now(),
});
let markers = 0;

/** `subscribe {pairs, batch: true}` -> `price_batch` (DESIGN.md section 6), over a real socket.io-client. */
describe('price_batch', () => {
  let t: TestApp;
  let publisher: EventPublisher;
  let gateway: MarketGateway;
  const clients: RecordingClient[] = [];
  const connect = async (auth?: Record<string, unknown>) => {
    const c = await RecordingClient.connect(t.url, auth ? { auth } : {});
    clients.push(c);
    return c;
  };
  const subscribe = (c: RecordingClient, payload: Record<string, unknown>) =>
    c.request('subscription_confirmed', (s) =>
      (s.emit as (e: string, p: unknown) => void)('subscribe', payload),
    );
  /** Everything published before a data_ready marker has reached the clients once the marker has. */
  const settle = async (...cs: RecordingClient[]) => {
    const marker: DataReadyEvent = { data_type: 'candles', count: ++markers, timestamp: now() };
    await publisher.publish('data_ready', marker);
    await Promise.all(cs.map((c) => c.waitFor('data_ready', (p) => p.count === marker.count)));
  };

  beforeAll(async () => {
    t = await startTestApp({ WS_RATE_LIMIT_PER_SECOND: '50' }, 'rt_batch');
    publisher = t.app.get(EventPublisher);
    gateway = t.app.get(MarketGateway);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await t?.close();
  });

  it('should send one price_batch per burst holding only the newest price of each pair, and price_update to the others', async () => {
    const batched = await connect();
    const sameSet = await connect();
    const plain = await connect();
    await subscribe(batched, { pairs: ['EUR_USD', 'GBP_USD'], batch: true });
    await subscribe(sameSet, { pairs: ['GBP_USD', 'EUR_USD'], batch: true });
    await subscribe(plain, { pairs: ['EUR_USD', 'GBP_USD'] });

    // One burst (one event-loop turn): EUR_USD twice, GBP_USD once, USD_JPY nobody here wants.
    gateway.broadcastPriceUpdate(price('EUR_USD', 1.1));
    gateway.broadcastPriceUpdate(price('GBP_USD', 1.27));
    gateway.broadcastPriceUpdate(price('USD_JPY', 150.1));
    gateway.broadcastPriceUpdate(price('EUR_USD', 1.2));
    await settle(batched, sameSet, plain);

    for (const c of [batched, sameSet]) {
      expect(c.of('price_update')).toEqual([]);
      const batches = c.of('price_batch');
      expect(batches).toHaveLength(1);
      const [batch] = batches;
      expect(Date.parse(batch.timestamp)).not.toBeNaN();
      const byPair = Object.fromEntries(batch.prices.map((p) => [p.instrument, p.price.bid]));
      // The superseded EUR_USD 1.1 is not sent.
      expect(byPair).toEqual({ EUR_USD: 1.2, GBP_USD: 1.27 });
    }
    expect(plain.of('price_batch')).toEqual([]);
    expect(plain.of('price_update').map((p) => [p.instrument, p.price.bid])).toEqual([
      ['EUR_USD', 1.1],
      ['GBP_USD', 1.27],
      ['EUR_USD', 1.2],
    ]);
  });

  it('should deliver prices published on Redis as price_batch, restore batching from the handshake, and switch back with batch: false', async () => {
    const c = await connect({ pairs: ['AUD_USD'], batch: true });
    expect(c.of('connection_established')[0].pairs).toEqual(['AUD_USD']);
    await publisher.publish('price_updates', price('AUD_USD', 0.66));
    const batch = await c.waitFor('price_batch');
    expect(batch.prices.map((p) => [p.instrument, p.price.bid])).toEqual([['AUD_USD', 0.66]]);
    expect(c.of('price_update')).toEqual([]);

    await subscribe(c, { pairs: ['AUD_USD'], batch: false });
    await publisher.publish('price_updates', price('AUD_USD', 0.67));
    const update = await c.waitFor('price_update');
    expect(update.price.bid).toBe(0.67);
    expect(c.of('price_batch')).toHaveLength(1);
  });

  it('should follow unsubscribes: a batched socket gets only its remaining pairs', async () => {
    const c = await connect();
    await subscribe(c, { pairs: ['USD_CHF', 'NZD_USD'], batch: true });
    await c.request('unsubscription_confirmed', (s) =>
      s.emit('unsubscribe', { pairs: ['NZD_USD'] }),
    );
    gateway.broadcastPriceUpdate(price('USD_CHF', 0.9));
    gateway.broadcastPriceUpdate(price('NZD_USD', 0.6));
    await settle(c);
    expect(c.of('price_batch').map((b) => b.prices.map((p) => p.instrument))).toEqual([
      ['USD_CHF'],
    ]);
    expect(c.of('price_update')).toEqual([]);
  });

  it('should answer a batch flag that is not a boolean with an error naming it, and stay connected', async () => {
    const c = await connect();
    const error = await c.request('error', (s) =>
      (s.emit as (e: string, p: unknown) => void)('subscribe', {
        pairs: ['EUR_USD'],
        batch: 'yes',
      }),
    );
    expect(error).toMatchObject({ code: 'invalid_payload', event: 'subscribe' });
    expect(error.message).toMatch(/batch must be true or false/);
    const pong = await c.request('pong', (s) => s.emit('ping'));
    expect(Date.parse(pong.server_time)).not.toBeNaN();
    expect(c.connected).toBe(true);
  });
});
