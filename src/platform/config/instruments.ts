import { quoted } from '../validation';
/**
 * Instrument catalogue: what the service knows about each pair it may track.
 * Display precision follows OANDA's `displayPrecision`; `pipLocation` is the
 * power of ten of one pip. `basePrice`/`spreadPips` seed the simulated market
 * with realistic levels (late-2020s ballpark) so its output looks like FX.
 */
export interface InstrumentSpec {
  readonly name: string;
  readonly base: string;
  readonly quote: string;
  readonly displayPrecision: number;
  readonly pipLocation: number;
  readonly basePrice: number;
  readonly spreadPips: number;
}

const spec = (
  name: string,
  displayPrecision: number,
  pipLocation: number,
  basePrice: number,
  spreadPips: number,
): InstrumentSpec => {
  const [base, quote] = name.split('_');
  return { name, base, quote, displayPrecision, pipLocation, basePrice, spreadPips };
};

export const INSTRUMENT_CATALOGUE: ReadonlyMap<string, InstrumentSpec> = new Map(
  [
    spec('EUR_USD', 5, -4, 1.085, 1.0),
    spec('GBP_USD', 5, -4, 1.27, 1.4),
    spec('USD_JPY', 3, -2, 150.2, 1.2),
    spec('USD_CAD', 5, -4, 1.36, 1.8),
    spec('AUD_USD', 5, -4, 0.66, 1.2),
    spec('USD_CHF', 5, -4, 0.88, 1.6),
    spec('NZD_USD', 5, -4, 0.61, 1.8),
    spec('EUR_GBP', 5, -4, 0.855, 1.4),
    spec('EUR_JPY', 3, -2, 163.0, 1.8),
    spec('GBP_JPY', 3, -2, 190.7, 2.8),
    spec('AUD_JPY', 3, -2, 99.1, 2.0),
    spec('USD_CNH', 5, -4, 7.22, 12.0),
    spec('CAD_JPY', 3, -2, 110.4, 2.4),
    spec('CHF_JPY', 3, -2, 170.6, 3.0),
    spec('EUR_AUD', 5, -4, 1.645, 2.2),
    spec('GBP_AUD', 5, -4, 1.925, 3.0),
    spec('USD_MXN', 5, -4, 17.1, 45.0),
    spec('USD_ZAR', 5, -4, 18.6, 80.0),
    spec('EUR_TRY', 5, -4, 35.5, 150.0),
    spec('GBP_CAD', 5, -4, 1.73, 3.0),
  ].map((s) => [s.name, s]),
);

export const DEFAULT_INSTRUMENTS: readonly string[] = [...INSTRUMENT_CATALOGUE.keys()];

/** OANDA instrument names: three-letter base, underscore, three-letter quote. */
export const INSTRUMENT_PATTERN = /^[A-Z]{3}_[A-Z]{3}$/;

/**
 * Spec for any well-formed instrument; pairs outside the catalogue get
 * conservative defaults so a user can track them without a code change.
 */
export function instrumentSpec(name: string): InstrumentSpec {
  const known = INSTRUMENT_CATALOGUE.get(name);
  if (known) return known;
  const jpy = name.endsWith('_JPY');
  return spec(name, jpy ? 3 : 5, jpy ? -2 : -4, jpy ? 100 : 1, 3);
}

/** A bad instrument list from a user (CLI option); the message names each bad entry. */
export class InstrumentListError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstrumentListError';
  }
}

/**
 * "EUR_USD,GBP_USD" -> unique tracked instrument names, in the order given.
 * Names are taken exactly as OANDA writes them (upper case), the same rule
 * the REST API and the Socket.IO gateway apply.
 */
export function parseInstrumentList(
  raw: string,
  tracked: readonly string[],
  option = '--instruments',
): string[] {
  const list = [
    ...new Set(
      raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (list.length === 0) throw new InstrumentListError(`${option} is empty; e.g. EUR_USD,GBP_USD`);
  for (const name of list) {
    if (!INSTRUMENT_PATTERN.test(name))
      throw new InstrumentListError(
        `${option}: ${quoted(name)} is not an instrument name (three-letter codes joined by _, e.g. EUR_USD)`,
      );
    if (!tracked.includes(name))
      throw new InstrumentListError(
        `${option}: ${name} is not tracked; tracked instruments: ${tracked.join(',')}`,
      );
  }
  return list;
}
