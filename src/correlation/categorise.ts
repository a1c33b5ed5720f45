/**
 * Best-pairs categories, ranking and reasons (DESIGN.md section 5), pure.
 */

export type BestPairCategory =
  'negatively_correlated' | 'uncorrelated' | 'moderately_correlated' | 'highly_correlated';

export const BEST_PAIR_CATEGORIES: readonly BestPairCategory[] = [
  'negatively_correlated',
  'uncorrelated',
  'moderately_correlated',
  'highly_correlated',
];

/** What each category is good for, for API docs and reasons. */
export const CATEGORY_PURPOSE: Readonly<Record<BestPairCategory, string>> = {
  negatively_correlated: 'hedging',
  uncorrelated: 'diversification',
  moderately_correlated: 'some overlap',
  highly_correlated: 'avoid together',
};

export interface CategoryThresholds {
  /** corr <= this is negatively_correlated (default -0.4). */
  negative: number;
  /** |corr| < this is uncorrelated (default 0.4); corr >= this (below `high`) is moderate. */
  uncorrelated: number;
  /** corr >= this is highly_correlated (default 0.7). */
  high: number;
}

export const DEFAULT_THRESHOLDS: CategoryThresholds = {
  negative: -0.4,
  uncorrelated: 0.4,
  high: 0.7,
};

/**
 * The category of one correlation. Checked in the order negative, high,
 * moderate, otherwise uncorrelated; so if the thresholds are configured
 * asymmetrically (say negative -0.5, uncorrelated 0.4), a weakly negative
 * -0.45 falls into uncorrelated rather than into no category at all.
 */
export function categorise(correlation: number, t: CategoryThresholds): BestPairCategory {
  if (correlation <= t.negative) return 'negatively_correlated';
  if (correlation >= t.high) return 'highly_correlated';
  if (correlation >= t.uncorrelated) return 'moderately_correlated';
  return 'uncorrelated';
}

/**
 * Orders a category best-first:
 * - negatively_correlated (hedging): most negative first;
 * - uncorrelated (diversification): closest to 0 first;
 * - moderately_correlated and highly_correlated: highest first, so the pairs
 *   that overlap most (the ones to watch or avoid together) lead.
 * Ties go by pair names so ranks are stable from run to run.
 */
/** Categorises, ranks within each category and writes the reasons. Pairs with no correlation (NaN) are skipped. */
/** Currencies the two instruments have in common ("EUR_USD", "USD_CHF" -> ["USD"]). */
export function sharedCurrencies(pair1: string, pair2: string): string[] {
  const a = pair1.split('_');
  const b = new Set(pair2.split('_'));
  return [...new Set(a.filter((c) => b.has(c)))];
}

/** r to two decimals, never "-0.00". */
export function formatR(correlation: number): string {
  const text = correlation.toFixed(2);
  return text === '-0.00' ? '0.00' : text;
}

/**
 * A sentence a trader can act on, naming the shared currency when there is
 * one, e.g. "EUR_USD and USD_CHF share USD and move in opposite directions
 * (r = -0.82 over 100 hours): a natural hedge".
 */
/**
 * Merges ranked lists of several categories by rank (1st of each, then 2nd of
 * each, ...), in the order the categories are given, and keeps `limit`: the
 * default "top five across hedging and diversification".
 */
