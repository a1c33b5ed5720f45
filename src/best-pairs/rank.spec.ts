import { DEFAULT_THRESHOLDS, formatR, sharedCurrencies } from '../correlation';
import { interleaveByRank, rankBestPairs, reasonFor } from './rank';

describe('rankBestPairs', () => {
  const pairs = [
    { pair1: 'EUR_USD', pair2: 'USD_CHF', correlation: -0.82 },
    { pair1: 'EUR_USD', pair2: 'USD_CAD', correlation: -0.5 },
    { pair1: 'AUD_JPY', pair2: 'EUR_GBP', correlation: 0.05 },
    { pair1: 'EUR_GBP', pair2: 'USD_JPY', correlation: -0.02 },
    { pair1: 'EUR_USD', pair2: 'USD_JPY', correlation: 0.3 },
    { pair1: 'EUR_USD', pair2: 'GBP_USD', correlation: 0.58 },
    { pair1: 'AUD_USD', pair2: 'NZD_USD', correlation: 0.88 },
    { pair1: 'EUR_JPY', pair2: 'GBP_JPY', correlation: 0.75 },
    { pair1: 'CAD_JPY', pair2: 'CHF_JPY', correlation: Number.NaN },
  ];
  const ranked = rankBestPairs(pairs, DEFAULT_THRESHOLDS, 100);
  const names = (category: string) =>
    ranked.filter((r) => r.category === category).map((r) => `${r.rank}:${r.pair1}/${r.pair2}`);

  it('should rank hedges most negative first and diversifiers closest to 0 first', () => {
    expect(names('negatively_correlated')).toEqual(['1:EUR_USD/USD_CHF', '2:EUR_USD/USD_CAD']);
    expect(names('uncorrelated')).toEqual([
      '1:EUR_GBP/USD_JPY',
      '2:AUD_JPY/EUR_GBP',
      '3:EUR_USD/USD_JPY',
    ]);
  });

  it('should rank moderate and high correlations highest first', () => {
    expect(names('moderately_correlated')).toEqual(['1:EUR_USD/GBP_USD']);
    expect(names('highly_correlated')).toEqual(['1:AUD_USD/NZD_USD', '2:EUR_JPY/GBP_JPY']);
  });

  it('should skip pairs without a correlation', () => {
    expect(ranked).toHaveLength(8);
  });

  it('should interleave hedging and diversification by rank for the default top five', () => {
    const top = interleaveByRank(ranked, ['negatively_correlated', 'uncorrelated'], 5);
    expect(top.map((r) => `${r.category}:${r.rank}`)).toEqual([
      'negatively_correlated:1',
      'uncorrelated:1',
      'negatively_correlated:2',
      'uncorrelated:2',
      'uncorrelated:3',
    ]);
  });
});

describe('reasonFor', () => {
  it('should name the shared currency of a hedge', () => {
    expect(
      reasonFor(
        { pair1: 'EUR_USD', pair2: 'USD_CHF', correlation: -0.8214 },
        'negatively_correlated',
        100,
      ),
    ).toBe(
      'EUR_USD and USD_CHF share USD and move in opposite directions (r = -0.82 over 100 hours): a natural hedge',
    );
  });

  it('should say when there is no currency in common', () => {
    const reason = reasonFor(
      { pair1: 'EUR_GBP', pair2: 'USD_JPY', correlation: -0.001 },
      'uncorrelated',
      200,
    );
    expect(reason).toBe(
      'EUR_GBP and USD_JPY have no currency in common and move largely independently (r = 0.00 over 200 hours): good for diversification',
    );
  });

  it('should explain high and moderate overlap', () => {
    expect(
      reasonFor(
        { pair1: 'AUD_USD', pair2: 'NZD_USD', correlation: 0.88 },
        'highly_correlated',
        100,
      ),
    ).toMatch(
      /^AUD_USD and NZD_USD share USD and move together \(r = 0\.88 over 100 hours\): .*avoid/,
    );
    expect(
      reasonFor(
        { pair1: 'EUR_USD', pair2: 'GBP_USD', correlation: 0.58 },
        'moderately_correlated',
        100,
      ),
    ).toMatch(/share USD and partly move together \(r = 0\.58/);
  });

  it('should find shared currencies in either position', () => {
    expect(sharedCurrencies('EUR_USD', 'USD_CHF')).toEqual(['USD']);
    expect(sharedCurrencies('EUR_JPY', 'EUR_USD')).toEqual(['EUR']);
    expect(sharedCurrencies('EUR_GBP', 'USD_JPY')).toEqual([]);
    expect(formatR(-0.004)).toBe('0.00');
  });
});
