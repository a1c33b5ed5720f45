import { instrumentSpec } from '../../platform/config';
import { averageDecimals } from '../decimal';
import type { Granularity } from '../../platform/time';
import type { ProviderCandle } from '../market-data-provider.interface';
import { isOpenAt } from '../../platform/time';
import { simulatedCandlePages, simulatedTick } from './simulated-candles';
import { PathModel } from './simulated-path';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);
/** A fixed "now" (a Wednesday afternoon) so every expectation is reproducible. */
const NOW = at('2026-11-25T15:42:17Z');

function candles(
  model: PathModel,
  instrument: string,
  granularity: Granularity,
  from: number,
  to: number,
  now = NOW,
  pageSize = 5000,
): ProviderCandle[] {
  return [
    ...simulatedCandlePages(model, { instrument, granularity, from, to, now, pageSize }),
  ].flat();
}

const num = Number;
function logReturns(series: ProviderCandle[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < series.length; i++)
    out.push(Math.log(num(series[i].mid.c) / num(series[i - 1].mid.c)));
  return out;
}
function pearson(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  const ma = a.slice(0, n).reduce((s, x) => s + x, 0) / n;
  const mb = b.slice(0, n).reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('simulatedCandlePages', () => {
  const model = new PathModel(42);
  const threeMonths = { from: at('2026-08-01T00:00:00Z'), to: at('2026-11-01T00:00:00Z') };
  const eurUsd = candles(model, 'EUR_USD', 'H1', threeMonths.from, threeMonths.to);

  it('should give identical candles for the same seed and different ones for another seed', () => {
    const again = candles(new PathModel(42), 'EUR_USD', 'H1', threeMonths.from, threeMonths.to);
    expect(JSON.stringify(again)).toBe(JSON.stringify(eurUsd));
    const other = candles(new PathModel(43), 'EUR_USD', 'H1', threeMonths.from, threeMonths.to);
    expect(other).toHaveLength(eurUsd.length);
    expect(other.map((c) => c.mid.c)).not.toEqual(eurUsd.map((c) => c.mid.c));
  });

  it('should give byte-identical candles for overlapping ranges fetched in any order', () => {
    const fresh = new PathModel(42);
    const later = candles(fresh, 'EUR_USD', 'H1', at('2026-09-15T05:00:00Z'), threeMonths.to);
    const earlier = candles(fresh, 'EUR_USD', 'H1', threeMonths.from, at('2026-10-01T00:00:00Z'));
    const overlapFrom = at('2026-09-15T05:00:00Z');
    const overlapTo = at('2026-10-01T00:00:00Z');
    const pick = (list: ProviderCandle[]) =>
      JSON.stringify(
        list.filter((c) => c.time.getTime() >= overlapFrom && c.time.getTime() < overlapTo),
      );
    expect(pick(later).length).toBeGreaterThan(100);
    expect(pick(later)).toBe(pick(earlier));
    expect(pick(later)).toBe(pick(eurUsd));
  });

  it('should produce no candles while the market is closed and 120 H1 candles per full week', () => {
    expect(eurUsd.every((c) => isOpenAt(c.time.getTime()))).toBe(true);
    const week = candles(
      model,
      'USD_JPY',
      'H1',
      at('2026-11-08T22:00:00Z'),
      at('2026-11-15T22:00:00Z'),
    );
    // US winter: the week opens Sunday 22:00 UTC and the last hourly candle starts Friday 21:00 UTC.
    expect(week).toHaveLength(120);
    expect(week[0].time.toISOString()).toBe('2026-11-08T22:00:00.000Z');
    expect(week[week.length - 1].time.toISOString()).toBe('2026-11-13T21:00:00.000Z');
  });

  it('should keep OHLC and bid < ask invariants with mid exactly (bid + ask) / 2', () => {
    for (const instrument of ['EUR_USD', 'USD_JPY', 'USD_ZAR', 'EUR_TRY', 'USD_CNH']) {
      for (const c of candles(
        model,
        instrument,
        'H1',
        at('2026-10-01T00:00:00Z'),
        at('2026-10-15T00:00:00Z'),
      )) {
        for (const side of [c.bid, c.ask, c.mid]) {
          expect(num(side.h)).toBeGreaterThanOrEqual(Math.max(num(side.o), num(side.c)));
          expect(num(side.l)).toBeLessThanOrEqual(Math.min(num(side.o), num(side.c)));
        }
        for (const k of ['o', 'h', 'l', 'c'] as const) {
          expect(num(c.bid[k])).toBeLessThan(num(c.ask[k]));
          expect(c.mid[k]).toBe(averageDecimals(c.bid[k], c.ask[k]));
        }
        expect(Number.isInteger(c.volume) && c.volume > 0).toBe(true);
        expect(c.complete).toBe(true);
      }
    }
  });

  it('should format prices with the instrument display precision', () => {
    for (const instrument of ['EUR_USD', 'USD_JPY', 'GBP_JPY', 'USD_MXN', 'EUR_SEK']) {
      const digits = instrumentSpec(instrument).displayPrecision;
      const sample = candles(
        model,
        instrument,
        'H1',
        at('2026-11-02T00:00:00Z'),
        at('2026-11-03T00:00:00Z'),
      );
      expect(sample.length).toBe(24);
      for (const c of sample) {
        for (const v of [...Object.values(c.bid), ...Object.values(c.ask)])
          expect(v).toMatch(new RegExp(`^\\d+\\.\\d{${digits}}$`));
        for (const v of Object.values(c.mid))
          expect(v).toMatch(new RegExp(`^\\d+\\.\\d{${digits},${digits + 1}}$`));
      }
    }
  });

  it('should keep price levels near the catalogue and spreads near the catalogue spread', () => {
    for (const instrument of ['EUR_USD', 'USD_JPY', 'GBP_USD', 'USD_ZAR']) {
      const spec = instrumentSpec(instrument);
      const year = candles(
        model,
        instrument,
        'H1',
        at('2025-11-01T00:00:00Z'),
        at('2026-11-01T00:00:00Z'),
      );
      for (const c of year) {
        expect(num(c.mid.c) / spec.basePrice).toBeGreaterThan(0.7);
        expect(num(c.mid.c) / spec.basePrice).toBeLessThan(1.3);
      }
      const spreads = year.map((c) => (num(c.ask.c) - num(c.bid.c)) / 10 ** spec.pipLocation);
      const typical = spreads.sort((a, b) => a - b)[Math.floor(spreads.length / 2)];
      expect(typical).toBeCloseTo(spec.spreadPips, 0);
    }
  });

  it('should have realistic hourly volatility for a major', () => {
    const returns = logReturns(eurUsd);
    const sd = Math.sqrt(returns.reduce((s, r) => s + r * r, 0) / returns.length);
    expect(sd).toBeGreaterThan(0.0005);
    expect(sd).toBeLessThan(0.0015);
  });

  it('should keep crosses consistent with their legs', () => {
    const range = [at('2026-10-05T00:00:00Z'), at('2026-10-10T00:00:00Z')] as const;
    const eurJpy = candles(model, 'EUR_JPY', 'H1', ...range);
    const usdJpy = candles(model, 'USD_JPY', 'H1', ...range);
    const eur = candles(model, 'EUR_USD', 'H1', ...range);
    expect(eurJpy).toHaveLength(eur.length);
    const tolerance = (instrumentSpec('EUR_JPY').spreadPips * 0.01) / 163;
    eurJpy.forEach((c, i) => {
      const implied = num(eur[i].mid.c) * num(usdJpy[i].mid.c);
      expect(Math.abs(num(c.mid.c) / implied - 1)).toBeLessThan(tolerance);
    });
  });

  it('should correlate hourly returns the way FX does', () => {
    const series = (i: string) =>
      logReturns(candles(model, i, 'H1', threeMonths.from, threeMonths.to));
    const eur = logReturns(eurUsd);
    expect(pearson(eur, series('USD_CHF'))).toBeLessThan(-0.3);
    expect(pearson(eur, series('GBP_USD'))).toBeGreaterThan(0.3);
    expect(pearson(series('AUD_USD'), series('NZD_USD'))).toBeGreaterThan(0.6);
    expect(pearson(eur, series('USD_JPY'))).toBeLessThan(0);
  });

  it('should mark the candle containing now incomplete, stop at now, and keep its open', () => {
    const from = at('2026-11-25T10:00:00Z');
    const list = candles(model, 'EUR_USD', 'H1', from, at('2026-11-26T00:00:00Z'));
    expect(list.map((c) => c.time.toISOString()).at(-1)).toBe('2026-11-25T15:00:00.000Z');
    expect(list.slice(0, -1).every((c) => c.complete)).toBe(true);
    const forming = list[list.length - 1];
    expect(forming.complete).toBe(false);
    const finished = candles(
      model,
      'EUR_USD',
      'H1',
      from,
      at('2026-11-26T00:00:00Z'),
      at('2026-11-25T17:00:00Z'),
    );
    const done = finished.find((c) => c.time.getTime() === forming.time.getTime())!;
    expect(done.complete).toBe(true);
    expect(done.bid.o).toBe(forming.bid.o);
    expect(num(done.bid.h)).toBeGreaterThanOrEqual(num(forming.bid.h));
    expect(num(done.bid.l)).toBeLessThanOrEqual(num(forming.bid.l));
    expect(done.volume).toBeGreaterThanOrEqual(forming.volume);
  });

  it('should nest finer candles inside the hour: same open and close', () => {
    const hour = at('2026-11-24T13:00:00Z');
    const [h1] = candles(model, 'GBP_USD', 'H1', hour, hour + HOUR);
    for (const g of ['M1', 'M5', 'M15', 'S5'] as const) {
      const parts = candles(model, 'GBP_USD', g, hour, hour + HOUR);
      expect(parts.length).toBe({ M1: 60, M5: 12, M15: 4, S5: 720 }[g]);
      expect(parts[0].mid.o).toBe(h1.mid.o);
      expect(parts[parts.length - 1].mid.c).toBe(h1.mid.c);
      for (let i = 1; i < parts.length; i++) expect(parts[i].mid.o).toBe(parts[i - 1].mid.c);
    }
  });

  it('should aggregate D, W and M candles from the hours of their period', () => {
    // The US left daylight time on 2026-11-01, so days start at 17:00 New York = 22:00 UTC.
    const week = [at('2026-11-01T22:00:00Z'), at('2026-11-08T22:00:00Z')] as const;
    const days = candles(model, 'AUD_USD', 'D', ...week);
    expect(days.map((c) => c.time.toISOString())).toEqual([
      '2026-11-01T22:00:00.000Z',
      '2026-11-02T22:00:00.000Z',
      '2026-11-03T22:00:00.000Z',
      '2026-11-04T22:00:00.000Z',
      '2026-11-05T22:00:00.000Z',
    ]);
    const hours = candles(model, 'AUD_USD', 'H1', ...week);
    const [weekly] = candles(model, 'AUD_USD', 'W', ...week);
    expect(weekly.time.toISOString()).toBe('2026-11-01T22:00:00.000Z');
    expect(weekly.bid.o).toBe(hours[0].bid.o);
    expect(weekly.bid.c).toBe(hours[hours.length - 1].bid.c);
    expect(num(weekly.bid.h)).toBe(Math.max(...hours.map((c) => num(c.bid.h))));
    expect(num(weekly.ask.l)).toBe(Math.min(...hours.map((c) => num(c.ask.l))));
    expect(weekly.volume).toBe(hours.reduce((s, c) => s + c.volume, 0));
    expect(days.reduce((s, c) => s + c.volume, 0)).toBe(weekly.volume);
    const months = candles(
      model,
      'AUD_USD',
      'M',
      at('2026-01-01T00:00:00Z'),
      at('2027-01-01T00:00:00Z'),
    );
    expect(months.map((c) => c.time.toISOString().slice(0, 7))).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
    ]);
    expect(months[months.length - 1].complete).toBe(false);
    // The H4 period 20:00-24:00 on Sunday holds the first three trading hours.
    const h4 = candles(model, 'AUD_USD', 'H4', at('2026-11-01T20:00:00Z'), week[1]);
    expect(h4[0].time.toISOString()).toBe('2026-11-01T20:00:00.000Z');
    expect(h4[0].bid.o).toBe(hours[0].bid.o);
  });

  it('should page at most pageSize candles, ascending, without duplicates', () => {
    const pages = [
      ...simulatedCandlePages(model, {
        instrument: 'EUR_USD',
        granularity: 'M1',
        from: at('2026-11-02T00:00:00Z'),
        to: at('2026-11-07T00:00:00Z'),
        now: NOW,
        pageSize: 5000,
      }),
    ];
    // Monday 00:00 to the Friday 22:00 UTC close (US winter): (4 x 24 + 22) hours of 60 minutes.
    expect(pages.map((p) => p.length)).toEqual([5000, 2080]);
    const times = pages.flat().map((c) => c.time.getTime());
    expect(new Set(times).size).toBe(times.length);
    expect(times.every((t, i) => i === 0 || t > times[i - 1])).toBe(true);
  });

  it('should work before the 2015 epoch and across it consistently', () => {
    const across = candles(
      model,
      'EUR_USD',
      'H1',
      at('2014-12-29T00:00:00Z'),
      at('2015-01-03T00:00:00Z'),
    );
    const before = candles(
      new PathModel(42),
      'EUR_USD',
      'H1',
      at('2014-12-29T00:00:00Z'),
      at('2014-12-31T12:00:00Z'),
    );
    expect(across.length).toBeGreaterThan(80);
    expect(JSON.stringify(across.slice(0, before.length))).toBe(JSON.stringify(before));
  });

  it('should generate a full year for the 20 default instruments', () => {
    // Exercises the benchmark path (speed is reported, never asserted).
    const instruments = [
      ...new Set([
        ...'EUR_USD GBP_USD USD_JPY USD_CAD AUD_USD USD_CHF NZD_USD EUR_GBP EUR_JPY GBP_JPY AUD_JPY USD_CNH CAD_JPY CHF_JPY EUR_AUD GBP_AUD USD_MXN USD_ZAR EUR_TRY GBP_CAD'.split(
          ' ',
        ),
      ]),
    ];
    let total = 0;
    for (const i of instruments)
      total += candles(
        model,
        i,
        'H1',
        at('2025-11-25T00:00:00Z'),
        at('2026-11-25T00:00:00Z'),
      ).length;
    // 52 weeks of 120 trading hours plus one extra Tuesday (24 h).
    expect(total).toBe(20 * (52 * 120 + 24));
  });
});

describe('simulatedTick', () => {
  const model = new PathModel(42);

  it('should match the candle path at hour boundaries and keep bid < ask', () => {
    const hour = at('2026-11-24T13:00:00Z');
    const [c] = candles(model, 'EUR_USD', 'H1', hour, hour + HOUR);
    const open = simulatedTick(model, 'EUR_USD', hour);
    expect(open.bid).toBe(c.bid.o);
    expect(open.ask).toBe(c.ask.o);
    expect(open.tradeable).toBe(true);
    const inside = simulatedTick(model, 'EUR_USD', hour + 1_234_567);
    expect(num(inside.bid)).toBeLessThan(num(inside.ask));
    expect(inside.mid).toBe(averageDecimals(inside.bid, inside.ask));
  });

  it('should hold the Friday close over the weekend, not tradeable', () => {
    const [last] = candles(
      model,
      'EUR_USD',
      'H1',
      at('2026-11-20T21:00:00Z'),
      at('2026-11-20T22:00:00Z'),
    );
    const saturday = simulatedTick(model, 'EUR_USD', at('2026-11-21T12:00:00Z'));
    expect(saturday.tradeable).toBe(false);
    expect(saturday.bid).toBe(last.bid.c);
    expect(saturday.ask).toBe(last.ask.c);
  });
});
