/**
 * Math functions bound once at module level. Under Jest every module runs in
 * a vm context whose global object sits behind an interceptor, so each
 * `Math.x` lookup in a hot loop costs ~50x more than in the app; the
 * simulator draws tens of millions of numbers per year of candles and other
 * modules' integration tests backfill from it. Bound names avoid that cost.
 */
export const { abs, exp, floor, imul, log, max, min, round, sqrt } = Math;
export const INFINITY = Infinity;
export const isSafeInteger = Number.isSafeInteger;
