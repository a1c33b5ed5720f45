/**
 * Shapes stored candle rows for the API: JSON (numbers) and CSV (the exact
 * stored decimal text). Pure functions so both are unit-tested on plain rows.
 */

/** Price components in OANDA's letters: M(id), B(id), A(sk). */
export type PriceComponent = 'M' | 'B' | 'A';
export const PRICE_PATTERN = /^(?=[MBA])M?B?A?$/;
const SIDE = { M: 'mid', B: 'bid', A: 'ask' } as const;
type Side = (typeof SIDE)[PriceComponent];

/** "MBA" -> ['M','B','A']; letters in OANDA's order. Assumes PRICE_PATTERN already matched. */
export function parsePriceComponents(price: string): PriceComponent[] {
  return (['M', 'B', 'A'] as const).filter((c) => price.includes(c));
}

/** One stored row as the reader returns it: times as Date, prices as the exact numeric text. */
export interface CandleRow {
  time: Date;
  volume: number;
  complete: boolean;
  mid_open: string;
  mid_high: string;
  mid_low: string;
  mid_close: string;
  bid_open: string;
  bid_high: string;
  bid_low: string;
  bid_close: string;
  ask_open: string;
  ask_high: string;
  ask_low: string;
  ask_close: string;
}

export interface OhlcJson {
  o: number;
  h: number;
  l: number;
  c: number;
}

export interface CandleJson {
  time: string;
  volume: number;
  complete: boolean;
  mid?: OhlcJson;
  bid?: OhlcJson;
  ask?: OhlcJson;
}

const ohlc = (row: CandleRow, side: Side): OhlcJson => ({
  // Number() is exact for FX quotes: they carry at most ~7 significant digits.
  o: Number(row[`${side}_open`]),
  h: Number(row[`${side}_high`]),
  l: Number(row[`${side}_low`]),
  c: Number(row[`${side}_close`]),
});

export function toCandleJson(row: CandleRow, components: readonly PriceComponent[]): CandleJson {
  const out: CandleJson = {
    time: row.time.toISOString(),
    volume: row.volume,
    complete: row.complete,
  };
  for (const c of components) out[SIDE[c]] = ohlc(row, SIDE[c]);
  return out;
}

const PARTS = ['open', 'high', 'low', 'close'] as const;

export function csvHeader(components: readonly PriceComponent[]): string {
  const cols = ['time', 'volume', 'complete'];
  for (const c of components) for (const p of PARTS) cols.push(`${SIDE[c]}_${p}`);
  return `${cols.join(',')}\n`;
}

/** One CSV line; every field is a number, boolean or ISO time, so nothing needs quoting. */
export function csvRow(row: CandleRow, components: readonly PriceComponent[]): string {
  const fields: Array<string | number | boolean> = [
    row.time.toISOString(),
    row.volume,
    row.complete,
  ];
  for (const c of components) for (const p of PARTS) fields.push(row[`${SIDE[c]}_${p}`]);
  return `${fields.join(',')}\n`;
}
