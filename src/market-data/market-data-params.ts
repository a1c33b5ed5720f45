import { INSTRUMENT_PATTERN } from '../platform/config';
import { FetchCandlesParams, PermanentProviderError } from './market-data-provider.interface';
import { GRANULARITIES, type Granularity } from '../platform/time';

/**
 * Checks shared by every provider, so bad input fails the same way (a
 * PermanentProviderError naming the field) whichever provider is configured.
 */
export function assertInstrument(
  instrument: unknown,
  field = 'instrument',
): asserts instrument is string {
  if (typeof instrument !== 'string' || !INSTRUMENT_PATTERN.test(instrument)) {
    throw new PermanentProviderError(
      `${field} must look like EUR_USD (three letters, underscore, three letters), got ${JSON.stringify(instrument)}`,
    );
  }
}

export function assertInstruments(instruments: readonly unknown[], field = 'instruments'): void {
  if (!Array.isArray(instruments) || instruments.length === 0) {
    throw new PermanentProviderError(`${field} must be a non-empty list of instruments`);
  }
  instruments.forEach((instrument, i) => assertInstrument(instrument, `${field}[${i}]`));
}

export function assertGranularity(granularity: unknown): asserts granularity is Granularity {
  if (!GRANULARITIES.includes(granularity as Granularity)) {
    throw new PermanentProviderError(
      `granularity must be one of ${GRANULARITIES.join(', ')}, got ${JSON.stringify(granularity)}`,
    );
  }
}

/** Validates a candle request and resolves its range to ms; `to` defaults to now. */
export function candleRange(params: FetchCandlesParams, now: number): { from: number; to: number } {
  assertInstrument(params.instrument);
  assertGranularity(params.granularity);
  const from = params.from instanceof Date ? params.from.getTime() : Number.NaN;
  if (!Number.isFinite(from)) throw new PermanentProviderError('from must be a valid Date');
  const to =
    params.to === undefined ? now : params.to instanceof Date ? params.to.getTime() : Number.NaN;
  if (!Number.isFinite(to)) throw new PermanentProviderError('to must be a valid Date');
  if (from > to) {
    throw new PermanentProviderError(
      `from (${new Date(from).toISOString()}) must not be after to (${new Date(to).toISOString()})`,
    );
  }
  return { from, to };
}
