import {
  BEST_PAIR_CATEGORIES,
  categorise,
  formatR,
  sharedCurrencies,
  type BestPairCategory,
  type CategoryThresholds,
} from '../correlation';

export interface CorrelatedPair {
  pair1: string;
  pair2: string;
  correlation: number;
}

export interface RankedPair extends CorrelatedPair {
  category: BestPairCategory;
  /** 1 = best within its category. */
  rank: number;
  reason: string;
}

export function compareWithin(
  category: BestPairCategory,
  a: CorrelatedPair,
  b: CorrelatedPair,
): number {
  let byValue: number;
  if (category === 'negatively_correlated') byValue = a.correlation - b.correlation;
  else if (category === 'uncorrelated') byValue = Math.abs(a.correlation) - Math.abs(b.correlation);
  else byValue = b.correlation - a.correlation;
  if (byValue !== 0) return byValue;
  return a.pair1 === b.pair1 ? a.pair2.localeCompare(b.pair2) : a.pair1.localeCompare(b.pair1);
}

export function rankBestPairs(
  pairs: readonly CorrelatedPair[],
  thresholds: CategoryThresholds,
  window: number,
  unit = 'hours',
): RankedPair[] {
  const byCategory = new Map<BestPairCategory, CorrelatedPair[]>(
    BEST_PAIR_CATEGORIES.map((c) => [c, []]),
  );
  for (const pair of pairs) {
    if (!Number.isFinite(pair.correlation)) continue;
    byCategory.get(categorise(pair.correlation, thresholds))!.push(pair);
  }
  const ranked: RankedPair[] = [];
  for (const category of BEST_PAIR_CATEGORIES) {
    const members = byCategory.get(category)!.sort((a, b) => compareWithin(category, a, b));
    members.forEach((pair, index) =>
      ranked.push({
        pair1: pair.pair1,
        pair2: pair.pair2,
        correlation: pair.correlation,
        category,
        rank: index + 1,
        reason: reasonFor(pair, category, window, unit),
      }),
    );
  }
  return ranked;
}

export function reasonFor(
  pair: CorrelatedPair,
  category: BestPairCategory,
  window: number,
  unit = 'hours',
): string {
  const shared = sharedCurrencies(pair.pair1, pair.pair2);
  const both = `${pair.pair1} and ${pair.pair2}`;
  const sharing = shared.length ? `share ${shared.join(' and ')}` : '';
  const stat = `(r = ${formatR(pair.correlation)} over ${window} ${unit})`;
  switch (category) {
    case 'negatively_correlated':
      return `${both} ${sharing ? `${sharing} and ` : ''}move in opposite directions ${stat}: a natural hedge`;
    case 'uncorrelated':
      return `${both} ${sharing ? `${sharing} but` : 'have no currency in common and'} move largely independently ${stat}: good for diversification`;
    case 'moderately_correlated':
      return `${both} ${sharing ? `${sharing} and ` : ''}partly move together ${stat}: some overlap, so holding both diversifies less than it seems`;
    case 'highly_correlated':
      return `${both} ${sharing ? `${sharing} and ` : ''}move together ${stat}: holding both is close to doubling one position, avoid them together`;
  }
}

export function interleaveByRank<T extends { rank: number; category: BestPairCategory }>(
  rows: readonly T[],
  categories: readonly BestPairCategory[],
  limit: number,
): T[] {
  return rows
    .filter((r) => categories.includes(r.category))
    .sort(
      (a, b) => a.rank - b.rank || categories.indexOf(a.category) - categories.indexOf(b.category),
    )
    .slice(0, limit);
}
