import { categorise, DEFAULT_THRESHOLDS } from './categorise';

describe('categorise', () => {
  it('should apply the DESIGN thresholds at their edges', () => {
    const t = DEFAULT_THRESHOLDS;
    expect(categorise(-0.4, t)).toBe('negatively_correlated');
    expect(categorise(-0.39, t)).toBe('uncorrelated');
    expect(categorise(0.39, t)).toBe('uncorrelated');
    expect(categorise(0.4, t)).toBe('moderately_correlated');
    expect(categorise(0.69, t)).toBe('moderately_correlated');
    expect(categorise(0.7, t)).toBe('highly_correlated');
  });

  it('should follow configured thresholds and leave no gap when they are asymmetric', () => {
    const t = { negative: -0.5, uncorrelated: 0.3, high: 0.8 };
    expect(categorise(-0.45, t)).toBe('uncorrelated');
    expect(categorise(0.35, t)).toBe('moderately_correlated');
    expect(categorise(0.75, t)).toBe('moderately_correlated');
  });
});
