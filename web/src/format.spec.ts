import {
  correlationRgb,
  formatDuration,
  formatPercent,
  formatUtc,
  heatRgb,
  normalise,
  toPips,
} from './format';

describe('format', () => {
  it('converts price differences to pips with the pip location', () => {
    expect(toPips(0.00012, -4)).toBeCloseTo(1.2, 10);
    expect(toPips(0.012, -2)).toBeCloseTo(1.2, 10);
  });

  it('maps correlations onto a diverging scale: blue at -1, white at 0, red at +1', () => {
    expect(correlationRgb(-1)).toEqual([33, 102, 172]);
    expect(correlationRgb(0)).toEqual([247, 247, 247]);
    expect(correlationRgb(1)).toEqual([178, 24, 43]);
    expect(correlationRgb(2)).toEqual(correlationRgb(1));
    expect(correlationRgb(null)).toEqual([160, 160, 160]);
    const [r, , b] = correlationRgb(-0.5);
    expect(b).toBeGreaterThan(r);
  });

  it('formats countdowns, percentages and UTC times', () => {
    expect(formatDuration(7500)).toBe('2h 05m');
    expect(formatDuration(250)).toBe('4m 10s');
    expect(formatDuration(-3)).toBe('0s');
    expect(formatDuration(90000)).toBe('1d 1h');
    expect(formatPercent(0.1234, 2)).toBe('+0.12%');
    expect(formatPercent(null)).toBe('–');
    expect(formatUtc('2026-03-04T10:00:00.000Z')).toBe('2026-03-04 10:00 UTC');
    expect(formatUtc('nope')).toBe('–');
  });

  it('normalises into 0..1 and clamps the heat scale', () => {
    expect(normalise(5, 0, 10)).toBe(0.5);
    expect(normalise(1, 1, 1)).toBe(0.5);
    expect(heatRgb(-1)).toEqual(heatRgb(0));
    expect(heatRgb(5)).toEqual([189, 0, 38]);
  });
});
