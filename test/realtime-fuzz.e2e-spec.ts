import request from 'supertest';
import WebSocket from 'ws';
import { dropDatabase } from '../src/platform/database/ensure-database';
import { RawEnv } from '../src/platform/config/env.validation';
import { exitWithin, freePort, Spawned, spawnTs, waitFor } from './utils/ops-helpers';
import { RecordingClient } from './utils/realtime-client';
import { testEnv } from './utils/test-env';

/*
 * Hostile Socket.IO input against ONE real server process (src/main.ts in a
 * child process, as production runs it): every event-name type and payload
 * shape, through socket.io-client and as raw Engine.IO frames for what
 * socket.io-client cannot send. Whatever a message does to its own
 * connection, the process must stay up: same PID, /health 200, and an
 * unrelated client still served.
 */

/** Boot of a TypeScript child process (transpile + Nest boot) on a busy 2-core machine. */
const BOOT_MS = 90_000;
const MAX_MESSAGE_BYTES = 16_384;

const deep = (depth: number, leaf: unknown, wrap: (inner: unknown) => unknown): unknown => {
  let value = leaf;
  for (let i = 0; i < depth; i += 1) value = wrap(value);
  return value;
};

/** Payload shapes: none, null, scalars, arrays, objects of the wrong shape, 1,000-deep nesting. */
const PAYLOADS: Array<[string, unknown[]]> = [
  ['none', []],
  ['null', [null]],
  ['true', [true]],
  ['zero', [0]],
  ['negative', [-1]],
  ['huge number', [1e308]],
  ['string', ['EUR_USD']],
  ['empty string', ['']],
  ['empty array', [[]]],
  ['array', [['EUR_USD', 1, null]]],
  ['empty object', [{}]],
  ['pairs null', [{ pairs: null }]],
  ['pairs object', [{ pairs: { 0: 'EUR_USD' } }]],
  ['pairs of nulls', [{ pairs: [null, {}, [], 7] }]],
  ['pairs ALL', [{ pairs: 'ALL' }]],
  ['pairs too many', [{ pairs: Array(500).fill('EUR_USD') }]],
  ['instrument number', [{ instrument: 5 }]],
  ['instrument object', [{ instrument: { toString: 'EUR_USD' } }]],
  ['instrument sql', [{ instrument: "EUR_USD'; DROP TABLE oanda_candles; --" }]],
  ['proto keys', [JSON.parse('{"__proto__": {"pairs": "all"}, "constructor": 1}')]],
  ['two payloads', [{ pairs: ['EUR_USD'] }, { pairs: 'all' }]],
  ['deep array', [deep(1_000, 'EUR_USD', (v) => [v])]],
  ['deep object', [deep(1_000, 'EUR_USD', (v) => ({ pairs: v }))]],
  ['deep instrument', [{ instrument: deep(1_000, 'x', (v) => [v]) }]],
  ['binary', [Buffer.from([0, 1, 2, 255])]],
  ['binary pairs', [{ pairs: [Buffer.from('EUR_USD')] }]],
];

/** String event names: every known event, reserved and prototype names, odd strings. */
const STRING_EVENTS = [
  'subscribe',
  'unsubscribe',
  'get_subscriptions',
  'request_price',
  'request_all_prices',
  'get_server_stats',
  'ping',
  'error',
  'connection_established',
  'price_update',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'SUBSCRIBE',
  '',
  ' ',
  '\u0000',
  // Long, but with every payload below still under WS_MAX_MESSAGE_BYTES (oversize has its own test).
  'e'.repeat(1_000),
];
const NUMBER_EVENTS = [123, 0, -1, 1.5, Number.MAX_SAFE_INTEGER];

/**
 * Frames socket.io-client will not produce: non-string event names, reserved
 * names, broken packets. Each goes on a fresh raw connection, since a parse
 * error rightly closes the connection that sent it.
 */
const RAW_FRAMES: Array<string | Buffer> = [
  '42[123]',
  '421[123]',
  '42[1.5,{"pairs":"all"}]',
  '42[{}]',
  '42[{"a":1}]',
  '42[[]]',
  '42[["subscribe"]]',
  '42[null]',
  '42[true]',
  '42[]',
  '42',
  '42{}',
  '42"subscribe"',
  '42["error"]',
  '42["error",{"code":"x"}]',
  '42["connect"]',
  '42["disconnect"]',
  '42["newListener","x"]',
  '42["removeListener"]',
  '42["subscribe",',
  '42["subscribe",{"pairs":["EUR_USD"]}',
  '42["subscribe"]]]',
  '4299999999999999999999["ping"]',
  '42-1["ping"]',
  '43[]',
  '431[]',
  '45[]',
  '451-["subscribe",{"_placeholder":true,"num":0}]',
  '451-[{"_placeholder":true,"num":0}]',
  '4510-["subscribe",{"_placeholder":true,"num":9}]',
  '46',
  '41',
  '40{"pairs":5}',
  '4',
  '9',
  '',
  'x'.repeat(1_000),
  `42[${'['.repeat(1_000)}${']'.repeat(1_000)}]`,
  `42["subscribe",${'{"pairs":'.repeat(1_000)}"all"${'}'.repeat(1_000)}]`,
  `42["subscribe",{"pairs":["${'A'.repeat(MAX_MESSAGE_BYTES * 2)}"]}]`,
  Buffer.from([0, 1, 2, 3]),
  Buffer.alloc(MAX_MESSAGE_BYTES * 2, 0x41),
];

interface RawResult {
  frames: string[];
  closed: boolean;
}

/** Opens a raw Engine.IO v4 websocket, joins the main namespace, sends `frame`, and collects what comes back. */
function sendRaw(port: number, frame: string | Buffer, settleMs = 300): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
    const frames: string[] = [];
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      if (!closed) ws.terminate();
      resolve({ frames, closed });
    };
    ws.once('error', (error) => (frames.length === 0 ? reject(error) : finish()));
    ws.on('close', () => {
      closed = true;
      finish();
    });
    ws.on('message', (data) => {
      const text = (data as Buffer).toString();
      frames.push(text);
      if (text.startsWith('0')) ws.send('40');
      if (text.startsWith('42["connection_established"')) {
        ws.send(frame);
        timer = setTimeout(finish, settleMs);
      }
    });
  });
}

describe('Socket.IO fuzz against one server process', () => {
  let port: number;
  let env: RawEnv;
  let app: Spawned;
  let pid: number | undefined;
  let url: string;
  let cases = 0;
  const health = () =>
    request(url)
      .get('/health')
      .then((r) => r.status)
      .catch(() => 0);

  beforeAll(async () => {
    port = await freePort();
    env = testEnv(
      {
        PORT: String(port),
        // The fuzz must reach the handlers, not the rate limiter.
        WS_RATE_LIMIT_PER_SECOND: '100000',
        WS_MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES),
      },
      'rt_fuzz',
    );
    url = `http://127.0.0.1:${port}`;
    app = spawnTs('src/main.ts', [], env);
    pid = app.child.pid;
    await waitFor(
      'the app to answer /health',
      async () => {
        if (app.child.exitCode !== null) throw new Error(`app exited early:\n${app.stderr()}`);
        return (await health()) === 200;
      },
      BOOT_MS,
      250,
    );
  }, BOOT_MS + 10_000);

  afterAll(async () => {
    if (app && app.child.exitCode === null) {
      app.child.kill('SIGTERM');
      await exitWithin(app, 15_000).catch(() => undefined);
    }
    if (env?.DATABASE_URL) await dropDatabase(env.DATABASE_URL);
  }, 30_000);

  /** The process is the one we started and it still serves REST and Socket.IO. */
  const expectAlive = async () => {
    expect(app.child.exitCode).toBeNull();
    expect(app.child.pid).toBe(pid);
    expect(await health()).toBe(200);
  };

  it('should answer every event name and payload from socket.io-client without ending the process', async () => {
    const client = await RecordingClient.connect(url);
    try {
      const emit = (client.socket.emit as (e: unknown, ...args: unknown[]) => void).bind(
        client.socket,
      );
      const names: unknown[] = [...STRING_EVENTS, ...NUMBER_EVENTS];
      for (const name of names) {
        for (const [, args] of PAYLOADS) {
          emit(name, ...args);
          cases += 1;
        }
        // And once with an acknowledgement callback, which must be answered too.
        const acked = await client.socket
          .timeout(5_000)
          .emitWithAck(name as 'ping')
          .catch((error: Error) => error);
        expect(acked).not.toBeInstanceOf(Error);
        cases += 1;
      }
      // Replies come in order: once this one is in, every earlier message has been answered.
      const pong = await client.request('pong', (s) => s.emit('ping'), 20_000);
      expect(pong.server_time).toBeDefined();
      expect(client.connected).toBe(true);
      const errors = client.of('error');
      // No handler failed: every rejection was a validation answer naming its event.
      expect(errors.filter((e) => e.code === 'internal_error')).toEqual([]);
      expect(errors.every((e) => typeof e.event === 'string' && e.event.length <= 43)).toBe(true);
      expect(errors.some((e) => e.event === '123' && e.code === 'unknown_event')).toBe(true);
    } finally {
      client.close();
    }
    await expectAlive();
  }, 120_000);

  it('should survive an oversize message, closing only the connection that sent it', async () => {
    const bystander = await RecordingClient.connect(url);
    const sender = await RecordingClient.connect(url);
    try {
      const closed = new Promise<string>((resolve) => sender.socket.once('disconnect', resolve));
      sender.socket.emit('subscribe', { pairs: ['A'.repeat(MAX_MESSAGE_BYTES * 2)] });
      cases += 1;
      expect(await closed).toBe('transport close');
      const pong = await bystander.request('pong', (s) => s.emit('ping'));
      expect(pong.server_time).toBeDefined();
    } finally {
      bystander.close();
      sender.close();
    }
    await expectAlive();
  }, 30_000);

  it('should survive raw frames with every event-name type, answering a numeric name with error', async () => {
    const results = new Map<string | Buffer, RawResult>();
    for (const frame of RAW_FRAMES) {
      results.set(frame, await sendRaw(port, frame));
      cases += 1;
    }
    await expectAlive();
    const numeric = results.get('42[123]');
    const error = numeric?.frames.find((f) => f.startsWith('42["error"'));
    expect(error && JSON.parse(error.slice(2))).toEqual([
      'error',
      expect.objectContaining({ code: 'unknown_event', event: '123' }),
    ]);
    expect(numeric?.closed).toBe(false);
    // With an ack id, the same answer comes back as an acknowledgement (packet type 3, id 1).
    const acked = results.get('421[123]')?.frames.find((f) => f.startsWith('431['));
    expect(acked && JSON.parse(acked.slice(3))).toEqual([
      { error: expect.objectContaining({ code: 'unknown_event' }) },
    ]);
    // A 1,000-deep subscribe payload is answered as a bad payload, not a crash.
    const deepSubscribe = [...results.entries()].find(
      ([f]) => typeof f === 'string' && f.startsWith('42["subscribe",{"pairs":{"pairs"'),
    )?.[1];
    expect(deepSubscribe?.frames.some((f) => f.includes('"code":"invalid_payload"'))).toBe(true);
    // Nothing any frame did is an internal error.
    const all = [...results.values()].flatMap((r) => r.frames);
    expect(all.filter((f) => f.includes('internal_error'))).toEqual([]);
  }, 120_000);

  it('should still be the same process, serving a new client, after everything', async () => {
    const client = await RecordingClient.connect(url);
    try {
      const subscribed = await client.socket
        .timeout(5_000)
        .emitWithAck('subscribe', { pairs: ['EUR_USD'] });
      expect(subscribed).toEqual({ pairs: ['EUR_USD'], pair_count: 1, rejected: [] });
    } finally {
      client.close();
    }
    await expectAlive();
    // The figure for the report: how many hostile messages one process took.
    process.stdout.write(`socket.io fuzz: ${cases} cases, process ${pid} still up\n`);
    expect(cases).toBeGreaterThan(500);
  });
});
