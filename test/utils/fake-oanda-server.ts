import {
  createServer,
  IncomingHttpHeaders,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A local stand-in for OANDA's v20 REST and stream hosts, speaking the
 * published formats: candles (`GET /v3/instruments/{i}/candles`), account
 * instruments (`GET /v3/accounts/{id}/instruments`) and the NDJSON pricing
 * stream (`GET /v3/accounts/{id}/pricing/stream`). Errors are
 * `{"errorMessage": "..."}` bodies with OANDA's status codes.
 *
 * It is deliberately strict where OANDA is (count <= 5000, no count with both
 * from and to, no `to` in the future, at most 5000 candles per from/to range)
 * and harsh where OANDA's documentation is vague: `to` is treated as
 * INCLUSIVE, so a client that does not de-duplicate window boundaries fails.
 * Tests script faults for the next requests (429 with Retry-After, 5xx,
 * dropped sockets, slow answers) and stream connections (drop, silence), and
 * every request is recorded for assertions.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Date.now() when the request arrived. */
  at: number;
  /** Status answered (0 when the socket was destroyed without an answer). */
  status: number;
}

export interface ScriptedFault {
  /** HTTP status to answer with; omit together with `destroy` to only delay. */
  status?: number;
  /** Retry-After header value (seconds or an HTTP date). */
  retryAfter?: string;
  errorMessage?: string;
  /** Close the socket without answering (the client sees ECONNRESET / "other side closed"). */
  destroy?: boolean;
  /** Wait this long before handling the request (to trigger client timeouts). */
  delayMs?: number;
  /** Only requests whose path matches; others pass through untouched. */
  path?: RegExp;
}

export interface StreamScript {
  /** Destroy the socket after this many messages (prices + heartbeats). */
  dropAfter?: number;
  /** Stop writing, but keep the connection open, after this many messages. */
  silenceAfter?: number;
}

export interface FakeOandaOptions {
  token?: string;
  accountId?: string;
  instruments?: string[];
  /** The server's clock (candles exist up to it; the one containing it is incomplete). */
  now?: () => number;
  heartbeatMs?: number;
  priceIntervalMs?: number;
}

export interface WireOhlc {
  o: string;
  h: string;
  l: string;
  c: string;
}
export interface WireCandle {
  time: string;
  volume: number;
  complete: boolean;
  mid?: WireOhlc;
  bid?: WireOhlc;
  ask?: WireOhlc;
}

const SECONDS: Record<string, number> = {
  S5: 5,
  S10: 10,
  S15: 15,
  S30: 30,
  M1: 60,
  M2: 120,
  M4: 240,
  M5: 300,
  M10: 600,
  M15: 900,
  M30: 1800,
  H1: 3600,
  H2: 7200,
  H3: 10800,
  H4: 14400,
  H6: 21600,
  H8: 28800,
  H12: 43200,
  D: 86400,
};
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const NEW_YORK = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  weekday: 'short',
  hour: 'numeric',
  hourCycle: 'h23',
});

/**
 * OANDA's FX week: closed from Friday 17:00 to Sunday 17:00 New York time.
 * Read off the IANA zone here (not our calendar code) so the fake stays an
 * independent model of the venue.
 */
function isOpen(ms: number): boolean {
  const parts = NEW_YORK.formatToParts(new Date(ms));
  const weekday = parts.find((p) => p.type === 'weekday')?.value;
  const hour = Number(parts.find((p) => p.type === 'hour')?.value);
  if (weekday === 'Sat') return false;
  if (weekday === 'Fri') return hour < 17;
  if (weekday === 'Sun') return hour >= 17;
  return true;
}

function format(units: number, digits: number): string {
  const text = String(units).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

function unixTime(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}000000`;
}

/** Parses the RFC3339 or UNIX times a client may send. */
function parseTime(value: string): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  return Date.parse(value.replace(/(\.\d{3})\d+/, '$1'));
}

export class FakeOandaServer {
  readonly token: string;
  readonly accountId: string;
  readonly instruments: string[];
  readonly requests: RecordedRequest[] = [];
  /** Pricing stream connections opened so far. */
  streamConnections = 0;
  url = '';
  private readonly server: Server;
  private readonly now: () => number;
  private readonly heartbeatMs: number;
  private readonly priceIntervalMs: number;
  private readonly faults: Array<ScriptedFault & { remaining: number }> = [];
  private readonly streamScripts: StreamScript[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(options: FakeOandaOptions = {}) {
    this.token = options.token ?? 'fake-oanda-token-5f0c2a9e7b1d4c3a8e6f';
    this.accountId = options.accountId ?? '101-004-1234567-001';
    this.instruments = options.instruments ?? ['EUR_USD', 'USD_JPY', 'GBP_USD'];
    this.now = options.now ?? Date.now;
    this.heartbeatMs = options.heartbeatMs ?? 5000;
    this.priceIntervalMs = options.priceIntervalMs ?? 250;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.json(res, 500, { errorMessage: String(error) });
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next `count` requests (matching `fault.path`, if given) get this fault instead of an answer. */
  failNext(count: number, fault: ScriptedFault): void {
    this.faults.push({ ...fault, remaining: count });
  }

  /** Scripts the next pricing-stream connection. */
  scriptNextStream(script: StreamScript): void {
    this.streamScripts.push(script);
  }

  /** Requests to the candles endpoint, in order. */
  candleRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/candles'));
  }

  private digits(instrument: string): number {
    return instrument.endsWith('_JPY') ? 3 : 5;
  }

  /** The deterministic candle at `time` (a period start), in OANDA's wire format. */
  candleAt(instrument: string, granularity: string, time: number, components = 'MBA'): WireCandle {
    const period = SECONDS[granularity] * 1000;
    const index = Math.floor(time / period);
    const base = instrument.endsWith('_JPY') ? 150_000 : 110_000;
    const instrumentShift = [...instrument].reduce((s, ch) => s + ch.charCodeAt(0), 0) % 97;
    const level = (i: number) => base + instrumentShift + ((i * 37) % 500);
    const o = level(index);
    const c = level(index + 1);
    const bid = [o, Math.max(o, c) + (index % 7), Math.min(o, c) - (index % 5), c];
    // An odd spread makes the mid need one more digit than bid and ask: exactness shows.
    const spread = 13;
    const digits = this.digits(instrument);
    const side = (values: number[]): WireOhlc => {
      const [so, sh, sl, sc] = values.map((v) => format(v, digits));
      return { o: so, h: sh, l: sl, c: sc };
    };
    const mid = (values: number[]): WireOhlc => {
      const [mo, mh, ml, mc] = values.map((v) => format(v * 10 + (spread * 10) / 2, digits + 1));
      return { o: mo, h: mh, l: ml, c: mc };
    };
    const candle: WireCandle = {
      time: rfc3339(time),
      volume: 100 + (index % 900),
      complete: time + period <= this.now(),
    };
    if (components.includes('M')) candle.mid = mid(bid);
    if (components.includes('B')) candle.bid = side(bid);
    if (components.includes('A')) candle.ask = side(bid.map((v) => v + spread));
    return candle;
  }

  /** Candle open times of the series in [from, to] (inclusive), trading periods only, up to now. */
  candleTimes(granularity: string, from: number, to: number): number[] {
    const period = SECONDS[granularity] * 1000;
    const now = this.now();
    const out: number[] = [];
    for (let t = Math.ceil(from / period) * period; t <= to && t <= now; t += period) {
      if (isOpen(t)) out.push(t);
    }
    return out;
  }

  private json(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private error(res: ServerResponse, status: number, errorMessage: string): void {
    this.json(res, status, { errorMessage });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      at: Date.now(),
      status: 0,
    };
    this.requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));

    const fault = this.faults.find(
      (f) => f.remaining > 0 && (!f.path || f.path.test(url.pathname)),
    );
    if (fault) {
      fault.remaining--;
      if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (fault.destroy) {
        req.socket.destroy();
        return;
      }
      if (fault.status) {
        const headers: Record<string, string> = fault.retryAfter
          ? { 'Retry-After': fault.retryAfter }
          : {};
        this.json(
          res,
          fault.status,
          { errorMessage: fault.errorMessage ?? `scripted ${fault.status}` },
          headers,
        );
        return;
      }
    }

    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return this.error(res, 401, 'Insufficient authorization to perform request.');
    }
    const unix = req.headers['accept-datetime-format'] === 'UNIX';
    let match = /^\/v3\/instruments\/([^/]+)\/candles$/.exec(url.pathname);
    if (match) return this.candles(res, decodeURIComponent(match[1]), url.searchParams, unix);
    match = /^\/v3\/accounts\/([^/]+)\/(instruments|pricing\/stream)$/.exec(url.pathname);
    if (match) {
      if (decodeURIComponent(match[1]) !== this.accountId) {
        return this.error(res, 403, 'The provided request was forbidden.');
      }
      const wanted = (url.searchParams.get('instruments') ?? this.instruments.join(',')).split(',');
      const unknown = wanted.find((i) => !this.instruments.includes(i));
      if (unknown)
        return this.error(res, 400, `Invalid value specified for 'instruments': ${unknown}`);
      if (match[2] === 'instruments') {
        return this.json(res, 200, {
          instruments: wanted.map((name) => ({
            name,
            type: 'CURRENCY',
            displayName: name.replace('_', '/'),
            pipLocation: name.endsWith('_JPY') ? -2 : -4,
            displayPrecision: this.digits(name),
            tradeUnitsPrecision: 0,
            minimumTradeSize: '1',
          })),
          lastTransactionID: '6',
        });
      }
      return this.stream(req, res, wanted, unix);
    }
    this.error(res, 404, 'The requested resource was not found.');
  }

  private candles(
    res: ServerResponse,
    instrument: string,
    params: URLSearchParams,
    unix: boolean,
  ): void {
    if (!this.instruments.includes(instrument)) {
      return this.error(
        res,
        404,
        `Invalid value specified for 'instrument': ${instrument} is not a known instrument.`,
      );
    }
    const granularity = params.get('granularity') ?? 'S5';
    if (!SECONDS[granularity])
      return this.error(res, 400, `Invalid value specified for 'granularity'`);
    const fromRaw = params.get('from');
    const toRaw = params.get('to');
    const countRaw = params.get('count');
    if (countRaw !== null && fromRaw !== null && toRaw !== null) {
      return this.error(
        res,
        400,
        "Invalid value specified for 'count'. 'count' cannot be specified when both 'from' and 'to' are specified.",
      );
    }
    const count = countRaw === null ? 500 : Number(countRaw);
    if (!Number.isInteger(count) || count < 1 || count > 5000) {
      return this.error(res, 400, "Invalid value specified for 'count'. Maximum value is 5000.");
    }
    const now = this.now();
    const period = SECONDS[granularity] * 1000;
    const from = fromRaw === null ? undefined : parseTime(fromRaw);
    const to = toRaw === null ? undefined : parseTime(toRaw);
    if ((from !== undefined && Number.isNaN(from)) || (to !== undefined && Number.isNaN(to))) {
      return this.error(res, 400, "Invalid value specified for 'from' or 'to'");
    }
    if (to !== undefined && to > now)
      return this.error(res, 400, "Invalid value specified for 'to'. Time is in the future");
    const includeFirst = params.get('includeFirst') !== 'false';
    let times: number[];
    if (from !== undefined) {
      const covering = Math.floor(from / period) * period;
      const first = includeFirst ? covering : covering + period;
      if (to !== undefined) {
        times = this.candleTimes(granularity, first, to);
        if (times.length > 5000) {
          return this.error(
            res,
            400,
            "Invalid value specified for 'to'. Maximum value for 'count' exceeded",
          );
        }
      } else {
        times = [];
        // Walk forward from `first` until `count` trading candles or now (skipping weekends quickly).
        for (let t = first; times.length < count && t <= now; t += period) {
          if (isOpen(t)) times.push(t);
          else if (period < HOUR) t = Math.floor(t / HOUR) * HOUR + HOUR - period;
        }
      }
    } else {
      const end = to ?? now;
      times = this.candleTimes(
        granularity,
        end - Math.ceil(count * 3) * period - 3 * DAY,
        end,
      ).slice(-count);
    }
    const components = params.get('price') ?? 'M';
    const candles = times.map((t) => {
      const candle = this.candleAt(instrument, granularity, t, components);
      return unix ? { ...candle, time: unixTime(t) } : candle;
    });
    this.json(res, 200, { instrument, granularity, candles });
  }

  private stream(
    req: IncomingMessage,
    res: ServerResponse,
    instruments: string[],
    unix: boolean,
  ): void {
    this.streamConnections++;
    const script = this.streamScripts.shift() ?? {};
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Transfer-Encoding': 'chunked',
    });
    let sent = 0;
    let tick = 0;
    let silent = false;
    const time = () => (unix ? unixTime(Date.now()) : rfc3339(Date.now()));
    const send = (message: unknown) => {
      if (silent || res.destroyed) return;
      const line = `${JSON.stringify(message)}\n`;
      // Split every other message across two writes so clients must reassemble lines.
      if (sent % 2 === 0) {
        const cut = Math.floor(line.length / 2);
        res.write(line.slice(0, cut));
        setImmediate(() => !res.destroyed && res.write(line.slice(cut)));
      } else {
        res.write(line);
      }
      sent++;
      if (script.dropAfter !== undefined && sent >= script.dropAfter) {
        setImmediate(() => res.socket?.destroy());
        silent = true;
      } else if (script.silenceAfter !== undefined && sent >= script.silenceAfter) {
        silent = true;
      }
    };
    const price = (instrument: string) => {
      const units = (instrument.endsWith('_JPY') ? 150_000 : 110_000) + ((tick++ * 7) % 50);
      const digits = this.digits(instrument);
      return {
        type: 'PRICE',
        instrument,
        time: time(),
        bids: [{ price: format(units, digits), liquidity: 10_000_000 }],
        asks: [{ price: format(units + 13, digits), liquidity: 10_000_000 }],
        closeoutBid: format(units - 2, digits),
        closeoutAsk: format(units + 15, digits),
        status: 'tradeable',
        tradeable: true,
      };
    };
    for (const instrument of instruments) send(price(instrument));
    const prices = setInterval(
      () => send(price(instruments[tick % instruments.length])),
      this.priceIntervalMs,
    );
    const heartbeats = setInterval(
      () => send({ type: 'HEARTBEAT', time: time() }),
      this.heartbeatMs,
    );
    this.timers.add(prices);
    this.timers.add(heartbeats);
    const stop = () => {
      clearInterval(prices);
      clearInterval(heartbeats);
      this.timers.delete(prices);
      this.timers.delete(heartbeats);
    };
    req.on('close', stop);
    res.on('close', stop);
  }
}

export async function startFakeOanda(options: FakeOandaOptions = {}): Promise<FakeOandaServer> {
  return new FakeOandaServer(options).start();
}
