import type { ProviderCandle } from '../../src/market-data/market-data-provider.interface';

/**
 * A valid H1 candle around the mid price `level` with a 1.4-pip spread; prices carry five
 * decimals like EUR_USD. Override anything to build corrections or bad data.
 */
export function makeCandle(
  over: Partial<ProviderCandle> & { time: Date; level?: number } = {
    time: new Date('2026-03-04T10:00:00Z'),
  },
): ProviderCandle {
  const m = over.level ?? 1.085;
  const half = 0.00007;
  const fix = (n: number): string => n.toFixed(5);
  const ohlc = (shift: number) => ({
    o: fix(m + shift),
    h: fix(m + 0.001 + shift),
    l: fix(m - 0.001 + shift),
    c: fix(m + 0.0002 + shift),
  });
  const { level: _level, ...rest } = over;
  return {
    instrument: 'EUR_USD',
    granularity: 'H1',
    bid: ohlc(-half),
    ask: ohlc(half),
    mid: ohlc(0),
    volume: 100,
    complete: true,
    ...rest,
  };
}

/** Consecutive hourly candles starting at `from` (weekends included: the store does not care). */
export function makeCandles(from: Date, count: number, instrument = 'EUR_USD'): ProviderCandle[] {
  return Array.from({ length: count }, (_, i) =>
    makeCandle({
      instrument,
      time: new Date(from.getTime() + i * 3_600_000),
      level: 1.08 + i * 0.0001,
    }),
  );
}
