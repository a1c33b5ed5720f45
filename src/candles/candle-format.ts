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
  open_mid: string;
  high_mid: string;
  low_mid: string;
  close_mid: string;
  open_bid: string;
  high_bid: string;
  low_bid: string;
  close_bid: string;
  open_ask: string;
  high_ask: string;
  low_ask: string;
  close_ask: string;
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
  o: Number(row[`open_${side}`]),
  h: Number(row[`high_${side}`]),
  l: Number(row[`low_${side}`]),
  c: Number(row[`close_${side}`]),
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

/**
 * A SQL expression rendering one oanda_candles row as the JSON text of
 * `JSON.stringify(toCandleJson(row, components))`, so PostgreSQL builds a page
 * and the API passes the text through: parsing 15 columns per row in node-postgres,
 * shaping objects and stringifying them again was most of a 500-candle page's CPU.
 * Prices go through float8, which prints the shortest text that reads back as the
 * same double, as JavaScript's Number-to-string does (the e2e tests compare both).
 * `components` come from PRICE_PATTERN, never from raw input.
 */
export function candleJsonSql(components: readonly PriceComponent[]): string {
  const sides = components.map((c) => {
    const side = SIDE[c];
    const ohlcSql = PARTS.map((p) => `'"${p[0]}":' || ${p}_${side}::float8`).join(` || ',' || `);
    return `',"${side}":{' || ${ohlcSql} || '}'`;
  });
  return [
    `'{"time":"' || to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    `'","volume":' || volume`,
    `',"complete":' || CASE WHEN complete THEN 'true' ELSE 'false' END`,
    ...sides,
    `'}'`,
  ].join(' || ');
}

export function csvHeader(components: readonly PriceComponent[]): string {
  const cols = ['time', 'volume', 'complete'];
  for (const c of components) for (const p of PARTS) cols.push(`${p}_${SIDE[c]}`);
  return `${cols.join(',')}\n`;
}

/** One CSV line; every field is a number, boolean or ISO time, so nothing needs quoting. */
export function csvRow(row: CandleRow, components: readonly PriceComponent[]): string {
  const fields: Array<string | number | boolean> = [
    row.time.toISOString(),
    row.volume,
    row.complete,
  ];
  for (const c of components) for (const p of PARTS) fields.push(row[`${p}_${SIDE[c]}`]);
  return `${fields.join(',')}\n`;
}
