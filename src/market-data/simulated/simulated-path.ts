import { exp, floor, max, min, sqrt } from './fast-math';
import { CurrencyModel, LOG_UNIT, currencyModel } from './currency-model';
import { DAY_MS, HOUR_MS, isOpenHour } from '../../platform/time';
import {
  childHash,
  hashCoords,
  hashIndex,
  hashPrefix,
  normalFromHash,
  uniformFromHash,
} from './simulated-random';

/**
 * The simulated market's price process, as pure functions of the seed.
 *
 * Hourly level: each currency's log value x follows a mean-reverting walk
 * (Ornstein-Uhlenbeck in discrete hours) from x = 0 at EPOCH, with shocks made
 * of shared factors and the currency's own noise, scaled by intraday activity,
 * a daily/weekly volatility regime, and zero while the market is closed (plus
 * a weekend gap shock in the hour before Sunday's open). Values are reached by
 * random access: checkpoints every CHECKPOINT_HOURS are cached per currency,
 * each computed by walking from the previous one with exactly the same
 * floating-point operations as a range walk, so any value is the same whichever
 * way it was reached.
 *
 * Below an hour: nested Brownian bridges between the hour's end values, at
 * 5 min, 1 min, 5 s and 1 s resolution (LEVELS). Each level's points are a
 * subset of the next finer level's, so opens and closes agree across
 * granularities, and the bridges use the same factor structure as the hours,
 * so intrahour moves of USD_CNH stay as small as its hourly ones.
 */

/** x = 0 (every currency at its anchor level) at this instant. */
export const EPOCH_MS = Date.UTC(2015, 0, 1);
const CHECKPOINT_HOURS = 256;
/** Mean-reversion half-life: about nine months of calendar hours keeps a year's range FX-like. */
const HALF_LIFE_HOURS = 6570;
const PHI = Math.pow(2, -1 / HALF_LIFE_HOURS);
/** Scale of the shock between Friday's close and Sunday's open. */
const WEEKEND_GAP_SCALE = 2;
/** Chance per currency-hour of a news jump, and its size in shocks. */
const JUMP_PROBABILITY = 0.0015;
const JUMP_SIZE = 4;
/** Share of days that are event days, and how much busier they are. */
const EVENT_DAY_PROBABILITY = 0.025;
const EVENT_DAY_SCALE = 3.5;
const EVENT_NORM = sqrt(1 + EVENT_DAY_PROBABILITY * (EVENT_DAY_SCALE ** 2 - 1));
/** Stream ids of the regime and volume noise (currency streams start at 1000, factors are 1-5). */
export const REGIME_STREAM = 101;
export const VOLUME_STREAM = 102;

/** Grid step in seconds of each level; level 0 is the hour itself. */
export const LEVEL_STEP_SECONDS = [3600, 300, 60, 5, 1] as const;
export type Level = 0 | 1 | 2 | 3 | 4;
/** Points per parent segment at each level. */
const CHILDREN = [1, 12, 5, 12, 5] as const;

/**
 * Relative activity by UTC hour: quiet Asian night, London, the London/New
 * York overlap, then the evening lull and rollover. Normalised below to unit
 * mean square so LOG_UNIT weights keep their meaning.
 */
const RAW_ACTIVITY = [
  0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.8, 1.0, 1.15, 1.15, 1.15, 1.15, 1.2, 1.4, 1.4, 1.4, 1.2,
  0.9, 0.9, 0.9, 0.7, 0.55, 0.65, 0.7,
];
export const HOURLY_ACTIVITY: readonly number[] = (() => {
  const rms = sqrt(RAW_ACTIVITY.reduce((s, a) => s + a * a, 0) / RAW_ACTIVITY.length);
  return RAW_ACTIVITY.map((a) => a / rms);
})();

const LEVELS = 5;
const ACTIVITY_BLOCK_HOURS = 256;

/** Hour index since EPOCH of the UTC hour containing `ms`. */
export function hourIndex(ms: number): number {
  return floor((ms - EPOCH_MS) / HOUR_MS);
}

export function hourStartMs(hour: number): number {
  return EPOCH_MS + hour * HOUR_MS;
}

/** A currency's model with its noise-sequence hashes precomputed for one seed (hot loops). */
interface SeededCurrency {
  readonly model: CurrencyModel;
  readonly weights: readonly number[];
  /** factorPrefix[level][k]: noise of the k-th loaded factor at that level. */
  readonly factorPrefix: readonly (readonly number[])[];
  /** ownPrefix[level]: the currency's own noise at that level. */
  readonly ownPrefix: readonly number[];
}

class CurrencyPath {
  /** forward[i] = x(i * CHECKPOINT_HOURS); backward[i] = x(-i * CHECKPOINT_HOURS). */
  private readonly forward: number[] = [0];
  private readonly backward: number[] = [0];
  /** Recent point lookups (ticks ask for the same two hours over and over). */
  private readonly recent = new Map<number, number>();

  constructor(
    private readonly market: PathModel,
    readonly currency: SeededCurrency,
  ) {}

  private step(x: number, t: number): number {
    return PHI * x + this.market.shock(this.currency, t);
  }

  /** Log value at the start of hour h. */
  valueAt(h: number): number {
    const cached = this.recent.get(h);
    if (cached !== undefined) return cached;
    let x: number;
    if (h >= 0) {
      const i = floor(h / CHECKPOINT_HOURS);
      x = this.forwardCheckpoint(i);
      for (let t = i * CHECKPOINT_HOURS; t < h; t++) x = this.step(x, t);
    } else {
      const i = floor(-h / CHECKPOINT_HOURS);
      x = this.backwardCheckpoint(i);
      for (let t = -i * CHECKPOINT_HOURS - 1; t >= h; t--) x = this.step(x, t);
    }
    if (this.recent.size >= 64) this.recent.clear();
    this.recent.set(h, x);
    return x;
  }

  /** Log values at the starts of hours h0..h1 inclusive. */
  range(h0: number, h1: number): Float64Array {
    const out = new Float64Array(h1 - h0 + 1);
    if (h1 > 0 || h0 >= 0) {
      const start = max(h0, 0);
      let x = this.valueAt(start);
      out[start - h0] = x;
      for (let t = start; t < h1; t++) {
        x = this.step(x, t);
        out[t + 1 - h0] = x;
      }
    }
    if (h0 < 0) {
      // Before the epoch the walk runs backwards from x(0) = 0; mirror that order here.
      const top = min(h1, 0);
      let x = this.valueAt(top);
      out[top - h0] = x;
      for (let t = top - 1; t >= h0; t--) {
        x = this.step(x, t);
        out[t - h0] = x;
      }
    }
    return out;
  }

  private forwardCheckpoint(i: number): number {
    for (let k = this.forward.length; k <= i; k++) {
      let x = this.forward[k - 1];
      for (let t = (k - 1) * CHECKPOINT_HOURS; t < k * CHECKPOINT_HOURS; t++) x = this.step(x, t);
      this.forward.push(x);
    }
    return this.forward[i];
  }

  private backwardCheckpoint(i: number): number {
    for (let k = this.backward.length; k <= i; k++) {
      let x = this.backward[k - 1];
      for (let t = -(k - 1) * CHECKPOINT_HOURS - 1; t >= -k * CHECKPOINT_HOURS; t--)
        x = this.step(x, t);
      this.backward.push(x);
    }
    return this.backward[i];
  }
}

/** The whole simulated market for one seed. Cheap to query; caches checkpoints. */
export class PathModel {
  private readonly paths = new Map<string, CurrencyPath>();
  private readonly currencies = new Map<string, SeededCurrency>();
  private readonly activityBlocks = new Map<number, Float64Array>();
  private lastBlockIndex = Number.NaN;
  private lastBlock: Float64Array = new Float64Array(0);
  private readonly keyScratch: number[] = [0, 0, 0, 0, 0, 0, 0, 0];

  constructor(readonly seed: number) {}

  /**
   * Volatility multiplier of hour h: intraday activity times the day's and
   * week's regime; 0 while the market is closed except the weekend-gap hour.
   * Cached in blocks: every currency walk asks for every hour.
   */
  activity(h: number): number {
    const blockIndex = floor(h / ACTIVITY_BLOCK_HOURS);
    if (blockIndex !== this.lastBlockIndex) {
      let block = this.activityBlocks.get(blockIndex);
      if (!block) {
        block = new Float64Array(ACTIVITY_BLOCK_HOURS);
        for (let i = 0; i < ACTIVITY_BLOCK_HOURS; i++)
          block[i] = this.computeActivity(blockIndex * ACTIVITY_BLOCK_HOURS + i);
        if (this.activityBlocks.size > 4096) this.activityBlocks.clear();
        this.activityBlocks.set(blockIndex, block);
      }
      this.lastBlockIndex = blockIndex;
      this.lastBlock = block;
    }
    return this.lastBlock[h - blockIndex * ACTIVITY_BLOCK_HOURS];
  }

  private computeActivity(h: number): number {
    const start = hourStartMs(h);
    let base: number;
    if (isOpenHour(start)) base = HOURLY_ACTIVITY[((h % 24) + 24) % 24];
    else if (isOpenHour(start + HOUR_MS)) base = WEEKEND_GAP_SCALE;
    else return 0;
    return base * this.regime(floor((start - EPOCH_MS) / DAY_MS));
  }

  /**
   * Volatility clustering: a lognormal multiplier per day and per week, plus
   * rare event days (central-bank meetings, payrolls) when activity runs at
   * several times its usual level, normalised to unit mean square. A calm week
   * can be followed by a nervous one and short/long volatility ratios spike
   * now and then, as in real markets.
   */
  regime(day: number): number {
    const week = floor(day / 7);
    const zDay = normalFromHash(hashCoords(this.seed, REGIME_STREAM, 0, day));
    const zWeek = normalFromHash(hashCoords(this.seed, REGIME_STREAM, 1, week));
    const event =
      uniformFromHash(hashCoords(this.seed, REGIME_STREAM, 2, day)) < EVENT_DAY_PROBABILITY
        ? EVENT_DAY_SCALE
        : 1;
    return (exp(0.25 * zDay + 0.2 * zWeek - 0.25 * 0.25 - 0.2 * 0.2) * event) / EVENT_NORM;
  }

  private seeded(code: string): SeededCurrency {
    let currency = this.currencies.get(code);
    if (!currency) {
      const model = currencyModel(code);
      const levels = Array.from({ length: LEVELS }, (_, level) => level);
      currency = {
        model,
        weights: model.loadings.map((l) => l.weight),
        factorPrefix: levels.map((level) =>
          model.loadings.map((l) => hashPrefix(this.seed, l.factor, level)),
        ),
        ownPrefix: levels.map((level) => hashPrefix(this.seed, model.stream, level)),
      };
      this.currencies.set(code, currency);
    }
    return currency;
  }

  /** Log-value change of a currency over hour h (x(h+1) = PHI x(h) + shock). */
  shock(currency: SeededCurrency, h: number): number {
    const scale = this.activity(h);
    if (scale === 0) return 0;
    const { weights } = currency;
    const factors = currency.factorPrefix[0];
    let sum = 0;
    for (let k = 0; k < weights.length; k++)
      sum += weights[k] * normalFromHash(hashIndex(factors[k], h));
    const own = hashIndex(currency.ownPrefix[0], h);
    const jump = uniformFromHash(own) < JUMP_PROBABILITY ? JUMP_SIZE : 1;
    sum += currency.model.idiosyncratic * normalFromHash(own) * jump;
    return sum * scale * LOG_UNIT;
  }

  private path(code: string): CurrencyPath {
    let path = this.paths.get(code);
    if (!path) {
      path = new CurrencyPath(this, this.seeded(code));
      this.paths.set(code, path);
    }
    return path;
  }

  /** Log value of a currency at the start of hour h. */
  hourValue(code: string, h: number): number {
    return this.path(code).valueAt(h);
  }

  /** Log values of a currency at the starts of hours h0..h1 inclusive. */
  hourValues(code: string, h0: number, h1: number): Float64Array {
    if (h1 < h0) throw new RangeError(`hourValues: h1 (${h1}) < h0 (${h0})`);
    return this.path(code).range(h0, h1);
  }

  /**
   * Points of the bridge between x0 and x1 over one parent segment of level
   * `level` - 1, written to out[offset + j * stride] for j = 0..CHILDREN[level].
   * The one place bridge noise is drawn: bulk grids and point queries both
   * call it, so they agree to the last bit.
   */
  private bridge(
    currency: SeededCurrency,
    level: Exclude<Level, 0>,
    parent: number,
    hourActivity: number,
    x0: number,
    x1: number,
    out: Float64Array,
    offset: number,
    stride: number,
  ): void {
    const n = CHILDREN[level];
    out[offset] = x0;
    out[offset + n * stride] = x1;
    if (hourActivity === 0) {
      for (let j = 1; j < n; j++) out[offset + j * stride] = x0 + ((x1 - x0) * j) / n;
      return;
    }
    const unit = hourActivity * LOG_UNIT * sqrt(LEVEL_STEP_SECONDS[level] / 3600);
    const { weights } = currency;
    const prefixes = currency.factorPrefix[level];
    const keys = this.keyScratch;
    for (let k = 0; k < weights.length; k++) keys[k] = hashIndex(prefixes[k], parent);
    const own = hashIndex(currency.ownPrefix[level], parent);
    const idiosyncratic = currency.model.idiosyncratic;
    // Partial sums of the n increments; the bridge subtracts the straight line to the end sum.
    let total = 0;
    for (let j = 1; j <= n; j++) {
      let e = idiosyncratic * normalFromHash(childHash(own, j));
      for (let k = 0; k < weights.length; k++)
        e += weights[k] * normalFromHash(childHash(keys[k], j));
      total += e;
      if (j < n) out[offset + j * stride] = total;
    }
    for (let j = 1; j < n; j++) {
      const w = j / n;
      const at = offset + j * stride;
      out[at] = x0 + (x1 - x0) * w + unit * (out[at] - w * total);
    }
  }

  /** Number of grid steps in an hour at `level`. */
  static stepsPerHour(level: Level): number {
    return 3600 / LEVEL_STEP_SECONDS[level];
  }

  /**
   * Log values of a currency on the `level` grid across hour h, both ends
   * included, written to out[0 .. stepsPerHour(level)] given the hour's end
   * values. Coarser levels are filled first at wider strides and refined in
   * place, so no intermediate arrays are allocated (this runs per hour per
   * currency for every candle).
   */
  hourGrid(code: string, h: number, level: Level, x0: number, x1: number, out: Float64Array): void {
    const currency = this.seeded(code);
    const activity = this.activity(h);
    const steps = PathModel.stepsPerHour(level);
    out[0] = x0;
    out[steps] = x1;
    let segments = 1;
    for (let l = 1; l <= level; l++) {
      const n = CHILDREN[l];
      const parentStride = steps / segments;
      const childStride = parentStride / n;
      for (let s = 0; s < segments; s++) {
        const at = s * parentStride;
        this.bridge(
          currency,
          l as Exclude<Level, 0>,
          h * segments + s,
          activity,
          out[at],
          out[at + parentStride],
          out,
          at,
          childStride,
        );
      }
      segments *= n;
    }
  }

  /**
   * Log value of a currency at the instant `ms`: descends the bridges to the
   * 1-second grid and interpolates linearly within the second (for ticks).
   */
  valueAtInstant(code: string, ms: number): number {
    const currency = this.seeded(code);
    const h = hourIndex(ms);
    const activity = this.activity(h);
    const path = this.path(code);
    let x0 = path.valueAt(h);
    let x1 = path.valueAt(h + 1);
    const offsetMs = ms - hourStartMs(h);
    let parent = h;
    const scratch = new Float64Array(13);
    for (let l = 1; l <= 4; l++) {
      const stepMs = LEVEL_STEP_SECONDS[l] * 1000;
      const parentStepMs = LEVEL_STEP_SECONDS[l - 1] * 1000;
      const j = floor((offsetMs % parentStepMs) / stepMs);
      this.bridge(currency, l as Exclude<Level, 0>, parent, activity, x0, x1, scratch, 0, 1);
      x0 = scratch[j];
      x1 = scratch[j + 1];
      parent = parent * CHILDREN[l] + j;
    }
    const fraction = (offsetMs % 1000) / 1000;
    return x0 + (x1 - x0) * fraction;
  }
}
