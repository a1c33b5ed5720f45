import {
  MAX_PAIRS_PER_REQUEST,
  parseInstrumentRequest,
  parsePairSelection,
} from './client-messages';

const TRACKED = ['EUR_USD', 'GBP_USD', 'USD_JPY'];

describe('parsePairSelection', () => {
  it('should accept tracked pairs, normalising case and dropping duplicates', () => {
    expect(parsePairSelection({ pairs: ['eur_usd', ' USD_JPY ', 'EUR_USD'] }, TRACKED)).toEqual({
      ok: true,
      value: { accepted: ['EUR_USD', 'USD_JPY'], rejected: [] },
    });
  });

  it('should name malformed, untracked and non-string entries in rejected', () => {
    expect(parsePairSelection({ pairs: ['EURUSD', 'ABC_DEF', 7, 'GBP_USD'] }, TRACKED)).toEqual({
      ok: true,
      value: { accepted: ['GBP_USD'], rejected: ['EURUSD', 'ABC_DEF', '7'] },
    });
  });

  it('should expand "all" to every tracked pair', () => {
    expect(parsePairSelection({ pairs: 'all' }, TRACKED)).toEqual({
      ok: true,
      value: { accepted: TRACKED, rejected: [] },
    });
  });

  it('should refuse payloads that are not {pairs: string[] | "all"} with a message saying so', () => {
    for (const payload of [undefined, null, 'EUR_USD', {}, { pairs: 'EUR_USD' }, { pairs: 5 }]) {
      const parsed = parsePairSelection(payload, TRACKED);
      expect(parsed.ok).toBe(false);
      expect(!parsed.ok && parsed.message).toMatch(/pairs/);
    }
  });

  it('should refuse oversized lists', () => {
    const parsed = parsePairSelection(
      { pairs: Array(MAX_PAIRS_PER_REQUEST + 1).fill('EUR_USD') },
      TRACKED,
    );
    expect(parsed).toEqual({
      ok: false,
      message: `pairs may hold at most ${MAX_PAIRS_PER_REQUEST} names`,
    });
  });
});

describe('parseInstrumentRequest', () => {
  it('should accept a tracked instrument in any case', () => {
    expect(parseInstrumentRequest({ instrument: 'usd_jpy' }, TRACKED)).toEqual({
      ok: true,
      instrument: 'USD_JPY',
    });
  });

  it('should tell a bad payload, a malformed name and an untracked one apart', () => {
    expect(parseInstrumentRequest('EUR_USD', TRACKED)).toMatchObject({
      ok: false,
      code: 'invalid_payload',
    });
    expect(parseInstrumentRequest({ instrument: 'EUR-USD' }, TRACKED)).toMatchObject({
      ok: false,
      code: 'invalid_instrument',
      message: 'instrument must look like EUR_USD (got "EUR-USD")',
    });
    expect(parseInstrumentRequest({ instrument: 'AUD_NZD' }, TRACKED)).toMatchObject({
      ok: false,
      code: 'unknown_instrument',
      message: 'instrument AUD_NZD is not tracked',
    });
  });
});
