import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { instrumentSpec } from '../../src/platform/config/instruments';

/** One bid-side candle; ask = bid + spread, mid = their exact average (computed in SQL numerics). */
export interface BidCandle {
  /** Candle open time, epoch ms. */
  time: number;
  /** Decimal strings (exact) or numbers. */
  open: string | number;
  high: string | number;
  low: string | number;
  close: string | number;
  spread: string | number;
  volume?: number;
  complete?: boolean;
}

const CHUNK = 5000;

/** Inserts candles with one multi-row unnest INSERT per chunk; existing (instrument, time, granularity) rows are kept. */
export async function insertBidCandles(
  ds: DataSource,
  instrument: string,
  candles: readonly BidCandle[],
  granularity = 'H1',
): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < candles.length; start += CHUNK) {
    const chunk = candles.slice(start, start + CHUNK);
    const col = (f: (c: BidCandle) => unknown): unknown[] => chunk.map(f);
    const rows: unknown[] = await ds.query(
      `INSERT INTO oanda_candles (instrument, time, granularity,
         open_bid, high_bid, low_bid, close_bid, open_ask, high_ask, low_ask, close_ask,
         open_mid, high_mid, low_mid, close_mid, volume, complete)
       SELECT $1, to_timestamp(u.t / 1000.0), $2,
         u.o, u.h, u.l, u.c, u.o + u.s, u.h + u.s, u.l + u.s, u.c + u.s,
         u.o + u.s / 2, u.h + u.s / 2, u.l + u.s / 2, u.c + u.s / 2, u.v, u.done
       FROM unnest($3::float8[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[],
                   $8::numeric[], $9::int[], $10::bool[]) AS u(t, o, h, l, c, s, v, done)
       ON CONFLICT (instrument, time, granularity) DO NOTHING
       RETURNING 1`,
      [
        instrument,
        granularity,
        col((c) => c.time),
        col((c) => String(c.open)),
        col((c) => String(c.high)),
        col((c) => String(c.low)),
        col((c) => String(c.close)),
        col((c) => String(c.spread)),
        col((c) => c.volume ?? 0),
        col((c) => c.complete ?? true),
      ],
    );
    inserted += rows.length;
  }
  return inserted;
}

/** Deterministic PRNG (mulberry32) so generated markets are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * Hourly bid candles from a list of log returns (one per candle after the
 * first), starting at the instrument's catalogue price, rounded to its
 * display precision like real quotes.
 */
export function candlesFromReturns(
  instrument: string,
  startMs: number,
  returns: readonly number[],
  random: () => number,
): BidCandle[] {
  const spec = instrumentSpec(instrument);
  const digits = spec.displayPrecision;
  const spread = (spec.spreadPips * 10 ** spec.pipLocation).toFixed(digits);
  let price = spec.basePrice;
  const candles: BidCandle[] = [];
  for (let k = 0; k <= returns.length; k += 1) {
    const open = price;
    const close = k === 0 ? price : price * Math.exp(returns[k - 1]);
    const wiggle = Math.abs(close - open) * 0.5 + price * 0.0002 * random();
    candles.push({
      time: startMs + k * 3_600_000,
      open: open.toFixed(digits),
      high: (Math.max(open, close) + wiggle).toFixed(digits),
      low: (Math.min(open, close) - wiggle).toFixed(digits),
      close: close.toFixed(digits),
      spread,
    });
    price = close;
  }
  return candles;
}

/** Where the real 2020-2021 H1 candles live: ../shared/data/fx-real from the repository root. */
export function fxRealDir(): string {
  const dir = join(process.cwd(), '..', 'shared', 'data', 'fx-real');
  if (!existsSync(dir) || !readdirSync(dir).some((f) => f.endsWith('.H1.csv.gz'))) {
    throw new Error(
      `Real FX data not found at ${dir}. The real-data tests need ../shared/data/fx-real/*.H1.csv.gz ` +
        'beside the repository (run the tests from the repository root with shared/ next to the clone).',
    );
  }
  return dir;
}

/** Instruments that have a real-data file. */
export function fxRealInstruments(): string[] {
  return readdirSync(fxRealDir())
    .filter((f) => f.endsWith('.H1.csv.gz'))
    .map((f) => f.replace('.H1.csv.gz', ''))
    .sort();
}

/**
 * Reads `<INSTRUMENT>.H1.csv.gz` (time,open,high,low,close,volume,spread; bid
 * prices). Where a row has no spread, the instrument's typical spread from the
 * catalogue stands in. Rows after `until` (ISO) are skipped.
 */
export function readFxReal(instrument: string, until?: string): BidCandle[] {
  const text = gunzipSync(readFileSync(join(fxRealDir(), `${instrument}.H1.csv.gz`))).toString(
    'utf8',
  );
  const spec = instrumentSpec(instrument);
  const typical = (spec.spreadPips * 10 ** spec.pipLocation).toFixed(spec.displayPrecision);
  const lines = text.split('\n');
  const header = lines[0].trim().split(',');
  const idx = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${instrument}: column ${name} missing in ${header.join(',')}`);
    return i;
  };
  const [t, o, h, l, c, v, s] = ['time', 'open', 'high', 'low', 'close', 'volume', 'spread'].map(
    idx,
  );
  const candles: BidCandle[] = [];
  for (let k = 1; k < lines.length; k += 1) {
    const line = lines[k].trim();
    if (!line) continue;
    const f = line.split(',');
    if (until && f[t] > until) break;
    candles.push({
      time: Date.parse(f[t]),
      open: f[o],
      high: f[h],
      low: f[l],
      close: f[c],
      spread: f[s] || typical,
      volume: f[v] ? Number(f[v]) : 0,
    });
  }
  return candles;
}

/**
 * A market driven by one factor per currency: the log return of BASE_QUOTE is
 * F_base - F_quote + a little noise, which gives realistic structure
 * (EUR_USD vs USD_CHF negative, EUR_USD vs GBP_USD positive, ...). From
 * `regimeFrom` (candle index) the USD factor's volatility is multiplied by
 * `usdBoost`, so USD pairs' correlations jump: that is what correlation
 * alerts are made of.
 */
export function factorMarket(options: {
  instruments: readonly string[];
  hours: number;
  lastMs: number;
  seed: number;
  regimeFrom?: number;
  usdBoost?: number;
}): Map<string, BidCandle[]> {
  const random = seededRandom(options.seed);
  const sigma = 0.0008;
  const currencies = [...new Set(options.instruments.flatMap((i) => i.split('_')))];
  const factors = new Map(currencies.map((c) => [c, new Array<number>(options.hours)]));
  for (let k = 0; k < options.hours; k += 1) {
    for (const c of currencies) {
      const boost =
        c === 'USD' && options.regimeFrom !== undefined && k >= options.regimeFrom
          ? (options.usdBoost ?? 3)
          : 1;
      factors.get(c)![k] = gaussian(random) * sigma * boost;
    }
  }
  const startMs = options.lastMs - (options.hours - 1) * 3_600_000;
  const market = new Map<string, BidCandle[]>();
  for (const instrument of options.instruments) {
    const [base, quote] = instrument.split('_');
    const returns = Array.from(
      { length: options.hours - 1 },
      (_, k) =>
        factors.get(base)![k + 1] - factors.get(quote)![k + 1] + gaussian(random) * sigma * 0.2,
    );
    market.set(instrument, candlesFromReturns(instrument, startMs, returns, random));
  }
  return market;
}
