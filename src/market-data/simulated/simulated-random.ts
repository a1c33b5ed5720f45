import { floor, imul, log, sqrt } from './fast-math';
/**
 * Counter-based randomness for the simulated market. Every random number is a
 * pure function of its coordinates (seed, stream, level, index, child), so any
 * candle can be generated at any time in any order and come out identical —
 * which is what makes backfills and overlapping fetches idempotent. A stateful
 * RNG walked from "now" could never give that.
 */

/** 32-bit finaliser (lowbias32 by Chris Wellons): cheap and well mixed. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hash of the fixed coordinates (seed, stream, level) of a noise sequence; see hashIndex. */
export function hashPrefix(seed: number, stream: number, level: number): number {
  return mix32(mix32(mix32(seed ^ 0x9e3779b9) ^ stream) ^ level);
}

/**
 * Hash of an index within a noise sequence. Indices may be negative or exceed
 * 32 bits (hour, minute and second counts); the high part is folded in
 * separately so distinct indices never collide by truncation.
 */
export function hashIndex(prefix: number, index: number): number {
  return mix32(mix32(prefix ^ (index | 0)) ^ floor(index / 4294967296));
}

/** hashIndex(hashPrefix(seed, stream, level), index), for one-off draws. */
export function hashCoords(seed: number, stream: number, level: number, index: number): number {
  return hashIndex(hashPrefix(seed, stream, level), index);
}

/** Combine a pre-hashed key with a small child index (hot loops hash the parent once). */
export function childHash(key: number, child: number): number {
  return mix32(key ^ imul(child + 1, 0x9e3779b1));
}

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation,
 * relative error < 1.2e-9), used once at load to fill the lookup table.
 */
export function inverseNormalCdf(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`inverseNormalCdf: p must be in (0, 1), got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = sqrt(-2 * log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - low) return -inverseNormalCdf(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

const TABLE_BITS = 16;
/**
 * Standard normal quantiles at the midpoints of 2^16 equal-probability bins:
 * one hash -> one normal sample by table lookup, several times faster than
 * Box-Muller, and the generator needs tens of millions of samples per year of
 * candles. Tails stop near +-4.3 sigma; fat tails come from jumps instead.
 */
const NORMAL_TABLE: Float64Array = (() => {
  const size = 1 << TABLE_BITS;
  const table = new Float64Array(size);
  for (let i = 0; i < size; i++) table[i] = inverseNormalCdf((i + 0.5) / size);
  return table;
})();

/** A standard normal sample from the high 16 bits of a hash. */
export function normalFromHash(h: number): number {
  return NORMAL_TABLE[h >>> (32 - TABLE_BITS)];
}

/** A uniform in [0, 1) from the low 16 bits of a hash (independent of normalFromHash's bits). */
export function uniformFromHash(h: number): number {
  return (h & 0xffff) / 0x10000;
}

/** Stream id of a currency code (any 3 letters): stable, far from the factor ids. */
export function currencyStream(code: string): number {
  let id = 1000;
  for (let i = 0; i < code.length; i++) id = id * 31 + code.charCodeAt(i);
  return id;
}
