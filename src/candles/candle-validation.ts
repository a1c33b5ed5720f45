import { INSTRUMENT_PATTERN } from '../platform/config';
import type { Ohlc, ProviderCandle } from '../market-data';
import { isGranularity } from '../platform/time';

/** Plain positive decimal as providers send prices ("1.08512"); no exponents, no signs. */
const DECIMAL = /^\d+(\.\d+)?$/;
const KEYS = ['o', 'h', 'l', 'c'] as const;
const SIDES = ['bid', 'ask', 'mid'] as const;

/** Everything wrong with one candle (empty when it may be stored). */
export function candleProblems(candle: ProviderCandle): string[] {
  const problems: string[] = [];
  if (!INSTRUMENT_PATTERN.test(candle.instrument)) problems.push('instrument is malformed');
  if (!isGranularity(candle.granularity))
    problems.push(`unknown granularity ${String(candle.granularity)}`);
  if (!(candle.time instanceof Date) || Number.isNaN(candle.time.getTime()))
    problems.push('time is not a valid date');
  if (!Number.isInteger(candle.volume) || candle.volume < 0)
    problems.push(`volume ${String(candle.volume)} is not a non-negative integer`);
  if (typeof candle.complete !== 'boolean') problems.push('complete is not a boolean');

  let pricesOk = true;
  for (const side of SIDES) {
    const ohlc = candle[side] as Ohlc | undefined;
    for (const k of KEYS) {
      const v: unknown = ohlc?.[k];
      if (typeof v !== 'string' || !DECIMAL.test(v) || !(Number(v) > 0)) {
        problems.push(`${side}.${k} ${JSON.stringify(v)} is not a positive decimal string`);
        pricesOk = false;
      }
    }
  }
  if (!pricesOk) return problems;

  for (const side of SIDES) {
    const { o, h, l, c } = candle[side];
    const [no, nh, nl, nc] = [o, h, l, c].map(Number);
    if (nh < nl) problems.push(`${side} high ${h} < low ${l}`);
    else if (no > nh || nc > nh || no < nl || nc < nl)
      problems.push(`${side} open ${o} / close ${c} outside low ${l} .. high ${h}`);
  }
  // Every tick has bid <= ask, so each of bid's O/H/L/C is <= ask's.
  for (const k of KEYS) {
    if (Number(candle.bid[k]) > Number(candle.ask[k]))
      problems.push(`bid.${k} ${candle.bid[k]} > ask.${k} ${candle.ask[k]}`);
  }
  return problems;
}

export class InvalidCandleError extends Error {
  constructor(readonly invalid: ReadonlyArray<{ candle: ProviderCandle; problems: string[] }>) {
    const shown = invalid
      .slice(0, 5)
      .map(({ candle, problems }) => `${describeCandle(candle)}: ${problems.join('; ')}`);
    const more = invalid.length > 5 ? ` (and ${invalid.length - 5} more)` : '';
    super(
      `rejected ${invalid.length} invalid candle(s), nothing stored: ${shown.join(' | ')}${more}`,
    );
    this.name = 'InvalidCandleError';
  }
}

function describeCandle(c: ProviderCandle): string {
  const time =
    c.time instanceof Date && !Number.isNaN(c.time.getTime()) ? c.time.toISOString() : '?';
  return `${c.instrument} ${String(c.granularity)} ${time}`;
}

/** Throws InvalidCandleError naming every bad candle (instrument, granularity, time, why). */
export function assertValidCandles(candles: readonly ProviderCandle[]): void {
  const invalid = candles
    .map((candle) => ({ candle, problems: candleProblems(candle) }))
    .filter((x) => x.problems.length > 0);
  if (invalid.length > 0) throw new InvalidCandleError(invalid);
}
