import { INSTRUMENT_CATALOGUE, instrumentSpec } from '../../platform/config';
import { currencyStream } from './simulated-random';

/**
 * Each currency's log value (against an abstract numeraire) moves with shared
 * factors plus its own noise; a pair is base/quote, so correlations between
 * pairs come out of shared legs and shared factors the way they do in FX:
 * EUR_USD and USD_CHF mirror each other through USD and the European block,
 * AUD_USD and NZD_USD share the commodity block, crosses equal their legs.
 */
export enum Factor {
  /** Broad dollar moves (USD itself and the managed CNH). */
  Dollar = 1,
  /** Risk-off: safe havens (JPY, CHF, a little USD) up, commodity and EM currencies down. */
  RiskOff = 2,
  /** European block: EUR, CHF, GBP, Scandinavians. */
  Europe = 3,
  /** Commodity block: AUD, NZD, CAD, NOK. */
  Commodity = 4,
  /** Emerging-market block: MXN, ZAR, TRY. */
  Emerging = 5,
}

export interface FactorLoading {
  readonly factor: Factor;
  readonly weight: number;
}

export interface CurrencyModel {
  readonly code: string;
  /** Hash stream of the currency's own noise. */
  readonly stream: number;
  readonly loadings: readonly FactorLoading[];
  /** Weight of the currency's own noise. */
  readonly idiosyncratic: number;
}

/**
 * Weights are in units of LOG_UNIT per hour at average activity. With them
 * the hourly volatility of majors lands near 0.09% (EUR_USD ~7% a year),
 * CNH is tied to the dollar (USD_CNH ~0.03%/h), EM crosses run 0.12-0.2%/h.
 */
export const LOG_UNIT = 1.2e-4;

const PARAMS: Readonly<Record<string, [Partial<Record<keyof typeof Factor, number>>, number]>> = {
  USD: [{ Dollar: 6, RiskOff: 1 }, 1],
  EUR: [{ Europe: 4.5, RiskOff: 0.5 }, 2],
  CHF: [{ Europe: 3.5, RiskOff: 3 }, 2.5],
  GBP: [{ Europe: 3 }, 4],
  JPY: [{ RiskOff: 5 }, 3.5],
  CAD: [{ Commodity: 2.5, RiskOff: -1, Dollar: 1.5 }, 2.5],
  AUD: [{ Commodity: 5, RiskOff: -2.5 }, 2.5],
  NZD: [{ Commodity: 5, RiskOff: -2.5 }, 3],
  CNH: [{ Dollar: 5.2, RiskOff: -0.5 }, 2],
  MXN: [{ Emerging: 8, RiskOff: -3, Dollar: 1 }, 6],
  ZAR: [{ Emerging: 9, RiskOff: -4.5 }, 8],
  TRY: [{ Emerging: 4 }, 8],
  SEK: [{ Europe: 4, RiskOff: -1 }, 4.5],
  NOK: [{ Europe: 3, Commodity: 2.5, RiskOff: -1.5 }, 5],
  DKK: [{ Europe: 4.5, RiskOff: 0.5 }, 2.2],
  PLN: [{ Europe: 4, Emerging: 2, RiskOff: -1.5 }, 4],
  HUF: [{ Europe: 4, Emerging: 3, RiskOff: -2 }, 5],
  CZK: [{ Europe: 4, Emerging: 1.5, RiskOff: -1 }, 3.5],
  SGD: [{ Dollar: 4, RiskOff: -0.5 }, 2.5],
  HKD: [{ Dollar: 6, RiskOff: 1 }, 1.1],
};

/** Any other three-letter code: an independent, EM-like currency. */
const DEFAULT_PARAMS: [Partial<Record<keyof typeof Factor, number>>, number] = [{ RiskOff: -1 }, 6];

/**
 * USD value of one unit of currencies that have no USD pair in the catalogue
 * (so crosses like EUR_SEK get a realistic level). Catalogue pairs take
 * precedence; see currencyLevels().
 */
const EXTRA_USD_LEVELS: Readonly<Record<string, number>> = {
  SEK: 1 / 10.5,
  NOK: 1 / 10.8,
  DKK: 1 / 6.87,
  PLN: 1 / 4.0,
  HUF: 1 / 360,
  CZK: 1 / 23.1,
  SGD: 1 / 1.34,
  HKD: 1 / 7.8,
};

const models = new Map<string, CurrencyModel>();

export function currencyModel(code: string): CurrencyModel {
  let model = models.get(code);
  if (!model) {
    const [weights, idiosyncratic] = PARAMS[code] ?? DEFAULT_PARAMS;
    const loadings = Object.entries(weights).map(([name, weight]) => ({
      factor: Factor[name as keyof typeof Factor],
      weight: weight ?? 0,
    }));
    model = { code, stream: currencyStream(code), loadings, idiosyncratic };
    models.set(code, model);
  }
  return model;
}

/** Hourly log-volatility of a pair at average activity, in log units (for sizing and tests). */
export function pairHourlyVolatility(base: string, quote: string): number {
  const b = currencyModel(base);
  const q = currencyModel(quote);
  const net = new Map<Factor, number>();
  for (const l of b.loadings) net.set(l.factor, (net.get(l.factor) ?? 0) + l.weight);
  for (const l of q.loadings) net.set(l.factor, (net.get(l.factor) ?? 0) - l.weight);
  let variance = b.idiosyncratic ** 2 + q.idiosyncratic ** 2;
  for (const w of net.values()) variance += w * w;
  return Math.sqrt(variance) * LOG_UNIT;
}

let levels: ReadonlyMap<string, number> | undefined;

/**
 * USD value of one unit of each currency at the simulation's anchor, derived
 * from the catalogue's base prices (USD pairs first, then crosses with one
 * known leg, e.g. TRY from EUR_TRY). Anchoring currencies rather than pairs
 * keeps every cross equal to the product of its legs.
 */
export function currencyLevels(): ReadonlyMap<string, number> {
  if (levels) return levels;
  const known = new Map<string, number>([['USD', 1]]);
  for (let changed = true; changed;) {
    changed = false;
    for (const spec of INSTRUMENT_CATALOGUE.values()) {
      const base = known.get(spec.base);
      const quote = known.get(spec.quote);
      if (base === undefined && quote !== undefined) {
        known.set(spec.base, quote * spec.basePrice);
        changed = true;
      } else if (quote === undefined && base !== undefined) {
        known.set(spec.quote, base / spec.basePrice);
        changed = true;
      }
    }
  }
  for (const [code, level] of Object.entries(EXTRA_USD_LEVELS)) {
    if (!known.has(code)) known.set(code, level);
  }
  levels = known;
  return known;
}

/**
 * The pair's price when both currencies sit at their anchor: base level over
 * quote level when both are known, else the catalogue's base price (which for
 * unknown instruments is a conservative default).
 */
export function anchorPrice(instrument: string): number {
  const spec = instrumentSpec(instrument);
  const all = currencyLevels();
  const base = all.get(spec.base);
  const quote = all.get(spec.quote);
  return base !== undefined && quote !== undefined ? base / quote : spec.basePrice;
}
