import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { SingleFlight } from './single-flight';
import { withTimeout } from '../platform/time';

const deferred = <T>() => {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe(SingleFlight.name, () => {
  it('should run one load for concurrent calls of the same key and share its result', async () => {
    const flights = new SingleFlight();
    const gate = deferred<number>();
    let runs = 0;
    const load = () => {
      runs += 1;
      return gate.promise;
    };
    const calls = [flights.run('k', load), flights.run('k', load), flights.run('k', load)];
    expect(flights.size).toBe(1);
    gate.resolve(7);
    expect(await Promise.all(calls)).toEqual([7, 7, 7]);
    expect(runs).toBe(1);
  });

  it('should keep different keys independent', async () => {
    const flights = new SingleFlight();
    const [a, b] = await Promise.all([
      flights.run('a', async () => 'A'),
      flights.run('b', async () => 'B'),
    ]);
    expect([a, b]).toEqual(['A', 'B']);
  });

  it('should share a failure with every waiter and then forget the key', async () => {
    const flights = new SingleFlight();
    const gate = deferred<number>();
    const first = flights.run('k', () => gate.promise);
    const second = flights.run('k', () => Promise.resolve(1));
    gate.reject(new Error('database down'));
    await expect(first).rejects.toThrow('database down');
    await expect(second).rejects.toThrow('database down');
    expect(flights.size).toBe(0);
    expect(await flights.run('k', async () => 2)).toBe(2);
  });
});

describe('withTimeout', () => {
  it('should resolve with the value when it comes in time', async () => {
    expect(await withTimeout(Promise.resolve(3), 50, 'fast')).toBe(3);
  });

  it('should reject naming the operation when it takes too long', async () => {
    const never = new Promise<number>(() => undefined);
    await expect(withTimeout(never, 10, 'Redis GET price:X')).rejects.toThrow(
      'Redis GET price:X: no answer within 10 ms',
    );
  });

  it('should not blame the other side when its own event loop was blocked past the deadline', async () => {
    // An echo server in another process stands in for Redis: it answers while this process is stalled.
    const echo = spawn(process.execPath, [
      '-e',
      "require('net').createServer((s) => { s.on('error', () => {}); s.on('data', (d) => s.write(d)); })" +
        ".listen(0, '127.0.0.1', function () { console.log(this.address().port); });",
    ]);
    try {
      const port = Number(
        await new Promise<string>((resolve) => echo.stdout.once('data', (d) => resolve(String(d)))),
      );
      const client = createConnection({ host: '127.0.0.1', port });
      await new Promise((resolve) => client.once('connect', resolve));
      const reply = new Promise<string>((resolve) =>
        client.once('data', (d) => resolve(d.toString())),
      );
      client.write('PONG');
      const answer = withTimeout(reply, 10, 'echo');
      const until = Date.now() + 100;
      while (Date.now() < until); // a synchronous stall, far longer than the timeout
      expect(await answer).toBe('PONG');
      client.destroy();
    } finally {
      echo.kill();
    }
  });
});
