import { ConnectionRegistry, distinctMembers, priceRoomSizes } from './connection-registry';

describe(ConnectionRegistry.name, () => {
  it('should track clients, the peak, refusals and messages by event', () => {
    const registry = new ConnectionRegistry();
    registry.connect();
    registry.connect();
    registry.disconnect();
    registry.refuse();
    registry.rateLimited();
    registry.recordSent('price_update', 150);
    registry.recordSent('price_update', 0);
    registry.recordSent('pong', 1);
    expect(registry.snapshot()).toMatchObject({
      clients: 1,
      peak_clients: 2,
      refused_connections: 1,
      rate_limited_messages: 1,
      messages_sent: 151,
      messages_by_event: { price_update: 150, pong: 1 },
    });
  });

  it('should never count below zero clients', () => {
    const registry = new ConnectionRegistry();
    expect(registry.disconnect()).toBe(0);
  });
});

describe('room helpers', () => {
  const rooms = new Map<string, Set<string>>([
    ['price_EUR_USD', new Set(['a', 'b'])],
    ['price_GBP_USD', new Set(['b', 'c'])],
    ['price_USD_JPY', new Set()],
    ['a', new Set(['a'])], // every socket's own room
  ]);

  it('should list only non-empty price rooms', () => {
    expect(priceRoomSizes(rooms)).toEqual({ price_EUR_USD: 2, price_GBP_USD: 2 });
  });

  it('should count a socket in several rooms once', () => {
    expect(distinctMembers(rooms, ['price_EUR_USD', 'price_GBP_USD'])).toBe(3);
    expect(distinctMembers(rooms, ['price_EUR_USD'])).toBe(2);
    expect(distinctMembers(rooms, ['price_AUD_USD'])).toBe(0);
  });
});
