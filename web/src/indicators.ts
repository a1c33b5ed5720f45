/**
 * Chart overlays computed in the browser from the candles on screen, so they
 * follow any granularity and grow as older bars load. Same definitions as the
 * server (DESIGN.md section 5, TA-Lib classic): SMA, EMA seeded with the SMA
 * of its first period, Bollinger bands with the population standard deviation.
 */

export type Series = Array<number | null>;

export function sma(values: readonly number[], period: number): Series {
  const out: Series = new Array<number | null>(values.length).fill(null);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    if (i >= period) sum -= values[i - period];
    if (i >= period - 1) out[i] = sum / period;
  }
  return out;
}

export function ema(values: readonly number[], period: number): Series {
  const out: Series = new Array<number | null>(values.length).fill(null);
  if (values.length < period) return out;
  const k = 2 / (period + 1);
  let prev = values.slice(0, period).reduce((a, b) => a + b, 0) / period;
  out[period - 1] = prev;
  for (let i = period; i < values.length; i++) {
    prev = values[i] * k + prev * (1 - k);
    out[i] = prev;
  }
  return out;
}

export interface Bands {
  upper: Series;
  middle: Series;
  lower: Series;
}

export function bollinger(values: readonly number[], period = 20, width = 2): Bands {
  const middle = sma(values, period);
  const upper: Series = new Array<number | null>(values.length).fill(null);
  const lower: Series = new Array<number | null>(values.length).fill(null);
  for (let i = period - 1; i < values.length; i++) {
    const mean = middle[i] as number;
    let sq = 0;
    for (let j = i - period + 1; j <= i; j++) sq += (values[j] - mean) ** 2;
    const sd = Math.sqrt(sq / period);
    upper[i] = mean + width * sd;
    lower[i] = mean - width * sd;
  }
  return { upper, middle, lower };
}

export interface Bar {
  /** Open time, epoch seconds (UTC). */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

/**
 * Aggregates bars into buckets of `bucketSeconds` on the UTC grid (H4, D from
 * H1). Input ascending; output ascending; a bucket opens with its first bar.
 */
export function aggregateBars(bars: readonly Bar[], bucketSeconds: number): Bar[] {
  const out: Bar[] = [];
  for (const bar of bars) {
    const bucket = Math.floor(bar.time / bucketSeconds) * bucketSeconds;
    const last = out[out.length - 1];
    if (last && last.time === bucket) {
      last.high = Math.max(last.high, bar.high);
      last.low = Math.min(last.low, bar.low);
      last.close = bar.close;
    } else {
      out.push({ ...bar, time: bucket });
    }
  }
  return out;
}

/** Merges two ascending bar lists by time (later list wins on equal times). */
export function mergeBars(a: readonly Bar[], b: readonly Bar[]): Bar[] {
  const byTime = new Map<number, Bar>();
  for (const bar of a) byTime.set(bar.time, bar);
  for (const bar of b) byTime.set(bar.time, bar);
  return [...byTime.values()].sort((x, y) => x.time - y.time);
}
