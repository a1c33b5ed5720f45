import { INFINITY, exp, floor, log, max, min, round, sqrt } from './fast-math';
import { instrumentSpec } from '../../platform/config';
import { halfOfScaled, scaledToDecimal } from '../decimal';
import type { Granularity } from '../../platform/time';
import type { PriceTick, ProviderCandle } from '../market-data-provider.interface';
import { anchorPrice } from './currency-model';
import {
  GRANULARITY_SECONDS,
  HOUR_MS,
  firstPeriodAtOrAfter,
  isOpenHour,
  lastOpenInstant,
  nextOpen,
  nextPeriodStart,
  periodHasTrading,
} from '../../platform/time';
import {
  LEVEL_STEP_SECONDS,
  Level,
  PathModel,
  VOLUME_STREAM,
  hourIndex,
  hourStartMs,
} from './simulated-path';
import { currencyStream, hashCoords, normalFromHash } from './simulated-random';

/**
 * Candles and ticks of the simulated market. Prices are computed as integers
 * in units of the instrument's display precision (bid rounded from the mid
 * path, ask = bid + spread, mid kept as bid + ask so (bid + ask) / 2 is exact)
 * and only turned into decimal strings at the end.
 */

/** What the generator needs to know about one instrument. */
export interface PairContext {
  readonly instrument: string;
  readonly base: string;
  readonly quote: string;
  readonly precision: number;
  readonly unitsPerPrice: number;
  readonly logAnchor: number;
  /** Typical spread in price units (10^-precision). */
  readonly spreadUnits: number;
  /** Ticks per hour at average activity (OANDA's volume is a tick count). */
  readonly volumePerHour: number;
  readonly volumeStream: number;
}

export function pairContext(instrument: string): PairContext {
  const spec = instrumentSpec(instrument);
  const unitsPerPip = 10 ** (spec.pipLocation + spec.displayPrecision);
  return {
    instrument,
    base: spec.base,
    quote: spec.quote,
    precision: spec.displayPrecision,
    unitsPerPrice: 10 ** spec.displayPrecision,
    logAnchor: log(anchorPrice(instrument)),
    spreadUnits: spec.spreadPips * unitsPerPip,
    // Tight (liquid) pairs tick more: EUR_USD ~4000 per hour, USD_ZAR a few hundred.
    volumePerHour: 4000 / sqrt(max(spec.spreadPips, 0.5)),
    volumeStream: VOLUME_STREAM * 7919 + currencyStream(instrument),
  };
}

/**
 * Spread multiplier of the hour starting at `ms`: widest at the Sunday open,
 * wide at the daily 21:00 UTC rollover, a little wider in the thin Asian
 * morning and just before the Friday close.
 */
export function spreadMultiplier(ms: number): number {
  const date = new Date(ms);
  const hour = date.getUTCHours();
  const weekday = date.getUTCDay();
  if (weekday === 0 && hour === 21) return 5;
  if (weekday === 0 && hour === 22) return 2;
  if (hour === 21) return 3;
  if (hour === 22) return 1.5;
  if (weekday === 5 && hour === 20) return 1.5;
  if (hour < 7) return 1.2;
  return 1;
}

function hourSpreadUnits(ctx: PairContext, hourStart: number): number {
  return max(1, round(ctx.spreadUnits * spreadMultiplier(hourStart)));
}

/**
 * A candle in integer price units (flat fields: a year of H1 for 20 pairs is
 * 125k of these, and nested arrays would triple the garbage). Mid components
 * are stored doubled (bid + ask) so halving them later is exact.
 */
interface Bar {
  time: number;
  bo: number;
  bh: number;
  bl: number;
  bc: number;
  ao: number;
  ah: number;
  al: number;
  ac: number;
  mo: number;
  mh: number;
  ml: number;
  mc: number;
  volume: number;
  complete: boolean;
}

/**
 * Bar from the pair's log path at points [from, to] (inclusive) of a grid, at
 * one spread. The spread is constant within an hour, so ask and mid follow
 * the bid path exactly.
 */
function barFromPath(
  ctx: PairContext,
  logBase: Float64Array,
  logQuote: Float64Array,
  from: number,
  to: number,
  spread: number,
  time: number,
  volume: number,
  complete: boolean,
): Bar {
  const half = spread / 2;
  let open = 0;
  let high = -INFINITY;
  let low = INFINITY;
  let close = 0;
  for (let i = from; i <= to; i++) {
    const mid = exp(ctx.logAnchor + logBase[i] - logQuote[i]) * ctx.unitsPerPrice;
    const bid = round(mid - half);
    if (i === from) open = bid;
    if (bid > high) high = bid;
    if (bid < low) low = bid;
    close = bid;
  }
  return {
    time,
    bo: open,
    bh: high,
    bl: low,
    bc: close,
    ao: open + spread,
    ah: high + spread,
    al: low + spread,
    ac: close + spread,
    mo: 2 * open + spread,
    mh: 2 * high + spread,
    ml: 2 * low + spread,
    mc: 2 * close + spread,
    volume,
    complete,
  };
}

function volumeNoise(model: PathModel, ctx: PairContext, periodSeconds: number, index: number) {
  const z = normalFromHash(hashCoords(model.seed, ctx.volumeStream, periodSeconds, index));
  return exp(0.3 * z - 0.045);
}

/** Grid level whose resolution gives candles of this length enough points for real wicks. */
function levelFor(periodSeconds: number): Level {
  if (periodSeconds >= 3600) return 1;
  if (periodSeconds >= 300) return 2;
  if (periodSeconds >= 60) return 3;
  return 4;
}

/**
 * Candles of up to one hour (S5..H1) for the open hours in [h0, h1), with
 * start times in [fromMs, limitMs) and the one containing `now` cut at now.
 */
function* subHourBars(
  model: PathModel,
  ctx: PairContext,
  periodSeconds: number,
  h0: number,
  h1: number,
  fromMs: number,
  limitMs: number,
  now: number,
): Generator<Bar> {
  const xb = model.hourValues(ctx.base, h0, h1);
  const xq = model.hourValues(ctx.quote, h0, h1);
  const level = levelFor(periodSeconds);
  const stepMs = LEVEL_STEP_SECONDS[level] * 1000;
  const periodMs = periodSeconds * 1000;
  const pointsPerCandle = periodMs / stepMs;
  const candlesPerHour = HOUR_MS / periodMs;
  const gb = new Float64Array(PathModel.stepsPerHour(level) + 1);
  const gq = new Float64Array(gb.length);
  for (let h = h0; h < h1; h++) {
    const start = hourStartMs(h);
    if (!isOpenHour(start)) continue;
    const i = h - h0;
    model.hourGrid(ctx.base, h, level, xb[i], xb[i + 1], gb);
    model.hourGrid(ctx.quote, h, level, xq[i], xq[i + 1], gq);
    const spread = hourSpreadUnits(ctx, start);
    // Activity (intraday profile x volatility regime) drives volume as well as volatility.
    const rate = ctx.volumePerHour * model.activity(h);
    for (let k = 0; k < candlesPerHour; k++) {
      const time = start + k * periodMs;
      if (time < fromMs) continue;
      if (time >= limitMs || time > now) return;
      const complete = time + periodMs <= now;
      const lastPoint = complete
        ? (k + 1) * pointsPerCandle
        : k * pointsPerCandle + floor((now - time) / stepMs);
      const elapsed = complete ? 1 : (now - time) / periodMs;
      const noise = volumeNoise(model, ctx, periodSeconds, floor(time / periodMs));
      const volume = max(1, round(rate * (periodSeconds / 3600) * noise * elapsed));
      yield barFromPath(
        ctx,
        gb,
        gq,
        k * pointsPerCandle,
        lastPoint,
        spread,
        time,
        volume,
        complete,
      );
    }
  }
}

/** Longer candles (H2..M) merge the H1 bars of their period, as OANDA's own candles do. */
function mergeBars(time: number, bars: Bar[], complete: boolean): Bar {
  const first = bars[0];
  const last = bars[bars.length - 1];
  const merged: Bar = {
    ...first,
    time,
    bc: last.bc,
    ac: last.ac,
    mc: last.mc,
    volume: 0,
    complete,
  };
  for (const bar of bars) {
    merged.bh = max(merged.bh, bar.bh);
    merged.ah = max(merged.ah, bar.ah);
    merged.mh = max(merged.mh, bar.mh);
    merged.bl = min(merged.bl, bar.bl);
    merged.al = min(merged.al, bar.al);
    merged.ml = min(merged.ml, bar.ml);
    merged.volume += bar.volume;
  }
  return merged;
}

function toProviderCandle(ctx: PairContext, granularity: Granularity, bar: Bar): ProviderCandle {
  const p = ctx.precision;
  return {
    instrument: ctx.instrument,
    granularity,
    time: new Date(bar.time),
    bid: {
      o: scaledToDecimal(bar.bo, p),
      h: scaledToDecimal(bar.bh, p),
      l: scaledToDecimal(bar.bl, p),
      c: scaledToDecimal(bar.bc, p),
    },
    ask: {
      o: scaledToDecimal(bar.ao, p),
      h: scaledToDecimal(bar.ah, p),
      l: scaledToDecimal(bar.al, p),
      c: scaledToDecimal(bar.ac, p),
    },
    mid: {
      o: halfOfScaled(bar.mo, p),
      h: halfOfScaled(bar.mh, p),
      l: halfOfScaled(bar.ml, p),
      c: halfOfScaled(bar.mc, p),
    },
    volume: bar.volume,
    complete: bar.complete,
  };
}

/** Hours generated per block: bounds memory for long ranges of fine granularities. */
const BLOCK_HOURS = 24 * 7 * 13;

function* barsOf(
  model: PathModel,
  ctx: PairContext,
  granularity: Granularity,
  fromMs: number,
  toMs: number,
  now: number,
): Generator<Bar> {
  const periodSeconds = GRANULARITY_SECONDS[granularity];
  const limitMs = min(toMs, now + 1);
  if (periodSeconds <= 3600) {
    let h = hourIndex(nextOpen(fromMs));
    const lastHour = hourIndex(limitMs - 1);
    while (h <= lastHour) {
      const end = min(h + BLOCK_HOURS, lastHour + 1);
      yield* subHourBars(model, ctx, periodSeconds, h, end, fromMs, limitMs, now);
      h = hourIndex(nextOpen(hourStartMs(end)));
    }
    return;
  }
  // Aggregated granularities: collect periods until a block's worth of hours, then build H1 bars once.
  let start = firstPeriodAtOrAfter(granularity, fromMs);
  while (start < limitMs) {
    const periods: number[] = [];
    let end = start;
    while (end < limitMs && (periods.length === 0 || end - start < BLOCK_HOURS * HOUR_MS)) {
      periods.push(end);
      end = nextPeriodStart(granularity, end);
    }
    const hourly: Bar[] = [];
    const hourFrom = hourIndex(start);
    const hourTo = hourIndex(min(end, now + 1) - 1) + 1;
    if (hourTo > hourFrom) {
      for (const bar of subHourBars(model, ctx, 3600, hourFrom, hourTo, start, end, now))
        hourly.push(bar);
    }
    let cursor = 0;
    for (const periodStart of periods) {
      const periodEnd = nextPeriodStart(granularity, periodStart);
      const inside: Bar[] = [];
      while (cursor < hourly.length && hourly[cursor].time < periodEnd) {
        if (hourly[cursor].time >= periodStart) inside.push(hourly[cursor]);
        cursor++;
      }
      if (inside.length > 0 && periodHasTrading(periodStart, periodEnd)) {
        yield mergeBars(periodStart, inside, periodEnd <= now);
      }
    }
    start = end;
  }
}

export interface CandleRequest {
  instrument: string;
  granularity: Granularity;
  /** Inclusive start, ms since the Unix epoch. */
  from: number;
  /** Exclusive end, ms. */
  to: number;
  /** The current time, ms: the candle containing it is incomplete, later ones do not exist. */
  now: number;
  pageSize: number;
}

/**
 * Candles of one instrument in [from, to), oldest first, in pages of at most
 * `pageSize`. Every candle is a pure function of (seed, instrument,
 * granularity, time) except the one still forming at `now`.
 */
export function* simulatedCandlePages(
  model: PathModel,
  request: CandleRequest,
): Generator<ProviderCandle[]> {
  const ctx = pairContext(request.instrument);
  let page: ProviderCandle[] = [];
  for (const bar of barsOf(
    model,
    ctx,
    request.granularity,
    request.from,
    request.to,
    request.now,
  )) {
    page.push(toProviderCandle(ctx, request.granularity, bar));
    if (page.length >= request.pageSize) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

/**
 * Price of an instrument at the instant `ms` on the 1-second path. While the
 * market is closed the last price before the close stands, marked not tradeable.
 */
export function simulatedTick(model: PathModel, instrument: string, ms: number): PriceTick {
  const ctx = pairContext(instrument);
  const tradeable = lastOpenInstant(ms) === ms;
  const at = tradeable ? ms : lastOpenInstant(ms);
  const spreadHour = floor((tradeable ? at : at - 1) / HOUR_MS) * HOUR_MS;
  const spread = hourSpreadUnits(ctx, spreadHour);
  const logPrice =
    ctx.logAnchor + model.valueAtInstant(ctx.base, at) - model.valueAtInstant(ctx.quote, at);
  const bid = round(exp(logPrice) * ctx.unitsPerPrice - spread / 2);
  return {
    instrument,
    time: new Date(ms),
    bid: scaledToDecimal(bid, ctx.precision),
    ask: scaledToDecimal(bid + spread, ctx.precision),
    mid: halfOfScaled(2 * bid + spread, ctx.precision),
    tradeable,
  };
}
