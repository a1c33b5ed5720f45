import { InProcessPubSub } from './in-process-pubsub';

describe(InProcessPubSub.name, () => {
  it('should deliver a publish to the subscribed channel only, after the publisher returned', async () => {
    const bus = new InProcessPubSub();
    const got: Array<[string, string]> = [];
    await bus.subscribe(['a', 'b'], (channel, message) => got.push([channel, message]));
    await bus.publish('a', 'one');
    await bus.publish('c', 'ignored');
    // Delivery is asynchronous, like Redis': nothing has arrived inside the publish call.
    expect(got).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(got).toEqual([['a', 'one']]);
    expect(bus.status()).toEqual({ connected: true, subscribed: true, reconnects: 0 });
  });

  it('should stop delivering after close', async () => {
    const bus = new InProcessPubSub();
    const got: string[] = [];
    await bus.subscribe(['a'], (_channel, message) => got.push(message));
    await bus.close();
    await bus.publish('a', 'late');
    await new Promise((resolve) => setImmediate(resolve));
    expect(got).toEqual([]);
    expect(bus.status().subscribed).toBe(false);
  });
});
