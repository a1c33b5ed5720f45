import { EngineConnection, WriteCoalescer } from './write-coalescer';

/** A stand-in with the engine.io surface the coalescer touches, recording what reaches "the wire". */
function fakeConnection(name = 'websocket') {
  const wire: string[][] = [];
  let corked = 0;
  let pending: string[] = [];
  const raw = {
    destroyed: false,
    cork: () => void (corked += 1),
    uncork: () => {
      corked -= 1;
      if (corked === 0 && pending.length) {
        wire.push(pending);
        pending = [];
      }
    },
  };
  const conn: EngineConnection & { send(p: string): void } = {
    readyState: 'open',
    transport: { name, writable: true, socket: { _socket: raw } },
    writeBuffer: [],
    // Like engine.io: buffer, and write now if the transport is free.
    send(p: string) {
      this.writeBuffer.push(p);
      this.flush();
    },
    flush() {
      if (!this.transport.writable || this.writeBuffer.length === 0) return;
      const packets = this.writeBuffer.splice(0) as string[];
      // One write per packet, like engine.io's websocket transport; corking merges them.
      for (const p of packets) {
        if (corked) pending.push(p);
        else wire.push([p]);
      }
    },
  };
  return { conn, wire };
}

describe(WriteCoalescer.name, () => {
  it('should turn several frames to one socket in a burst into one write, in order', () => {
    const a = fakeConnection();
    const b = fakeConnection();
    let release: () => void = () => undefined;
    const coalescer = new WriteCoalescer(
      () => [a.conn, b.conn],
      (fn) => (release = fn),
    );
    coalescer.begin();
    a.conn.send('EUR_USD');
    coalescer.begin(); // later emits in the same turn join the burst
    a.conn.send('GBP_USD');
    b.conn.send('USD_JPY');
    a.conn.send('AUD_USD');
    expect(a.wire).toEqual([]);
    release();
    expect(a.wire).toEqual([['EUR_USD', 'GBP_USD', 'AUD_USD']]);
    expect(b.wire).toEqual([['USD_JPY']]);
    expect(a.conn.transport.writable).toBe(true);
  });

  it('should leave non-websocket and busy transports alone', () => {
    const polling = fakeConnection('polling');
    const busy = fakeConnection();
    busy.conn.transport.writable = false;
    let release: () => void = () => undefined;
    const coalescer = new WriteCoalescer(
      () => [polling.conn, busy.conn],
      (fn) => (release = fn),
    );
    coalescer.begin();
    polling.conn.send('x');
    expect(polling.wire).toEqual([['x']]);
    release();
    expect(busy.conn.transport.writable).toBe(false);
  });

  it('should not flush a closed connection, and not touch a replaced transport', () => {
    const closed = fakeConnection();
    const upgraded = fakeConnection();
    let release: () => void = () => undefined;
    const coalescer = new WriteCoalescer(
      () => [closed.conn, upgraded.conn],
      (fn) => (release = fn),
    );
    coalescer.begin();
    closed.conn.send('late');
    closed.conn.readyState = 'closed';
    const old = upgraded.conn.transport;
    upgraded.conn.transport = { name: 'websocket', writable: true, socket: old.socket };
    release();
    expect(closed.wire).toEqual([]);
    expect(old.writable).toBe(false);
    expect(coalescer.burstCount).toBe(1);
  });
});
