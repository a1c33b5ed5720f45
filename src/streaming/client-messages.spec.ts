import {
  echo,
  eventName,
  MAX_PAIRS_PER_REQUEST,
  parseInstrumentRequest,
  parsePairSelection,
} from './client-messages';

const TRACKED = ['EUR_USD', 'GBP_USD', 'USD_JPY'];

describe('parsePairSelection', () => {
  it('should accept tracked pairs exactly as named, dropping duplicates', () => {
    expect(parsePairSelection({ pairs: ['USD_JPY', 'EUR_USD', 'USD_JPY'] }, TRACKED)).toEqual({
      ok: true,
      value: { accepted: ['USD_JPY', 'EUR_USD'], rejected: [], malformed: [] },
    });
  });

  it('should reject lower-case and padded names like REST does, never case-folding them', () => {
    expect(parsePairSelection({ pairs: ['eur_usd', ' USD_JPY ', 'GBP_USD'] }, TRACKED)).toEqual({
      ok: true,
      value: {
        accepted: ['GBP_USD'],
        rejected: ['eur_usd', ' USD_JPY '],
        malformed: ['eur_usd', ' USD_JPY '],
      },
    });
  });

  it('should name malformed, untracked and non-string entries in rejected', () => {
    expect(parsePairSelection({ pairs: ['EURUSD', 'ABC_DEF', 7, 'GBP_USD'] }, TRACKED)).toEqual({
      ok: true,
      value: {
        accepted: ['GBP_USD'],
        rejected: ['EURUSD', 'ABC_DEF', '7'],
        malformed: ['EURUSD', '7'],
      },
    });
  });

  it('should bound what it echoes of a long name', () => {
    const parsed = parsePairSelection({ pairs: ['X'.repeat(10_000)] }, TRACKED);
    expect(parsed.ok && parsed.value.rejected[0]).toBe(`${'X'.repeat(40)}...`);
  });

  it('should expand "all" to every tracked pair', () => {
    expect(parsePairSelection({ pairs: 'all' }, TRACKED)).toEqual({
      ok: true,
      value: { accepted: TRACKED, rejected: [], malformed: [] },
    });
  });

  it('should refuse "ALL": the keyword is lower case, as instrument names are upper case', () => {
    for (const keyword of ['ALL', 'All']) {
      const parsed = parsePairSelection({ pairs: keyword }, TRACKED);
      expect(parsed).toEqual({
        ok: false,
        message: `pairs must be an array of instrument names or the keyword "all" in lower case (got "${keyword}")`,
      });
    }
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
  it('should accept a tracked instrument in upper case', () => {
    expect(parseInstrumentRequest({ instrument: 'USD_JPY' }, TRACKED)).toEqual({
      ok: true,
      instrument: 'USD_JPY',
    });
  });

  it('should reject a lower-case name as invalid_instrument, like REST', () => {
    expect(parseInstrumentRequest({ instrument: 'usd_jpy' }, TRACKED)).toEqual({
      ok: false,
      code: 'invalid_instrument',
      message:
        'instrument must be an OANDA instrument name in upper case such as EUR_USD (got "usd_jpy")',
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
      message:
        'instrument must be an OANDA instrument name in upper case such as EUR_USD (got "EUR-USD")',
    });
    expect(parseInstrumentRequest({ instrument: 'AUD_NZD' }, TRACKED)).toMatchObject({
      ok: false,
      code: 'unknown_instrument',
      message: 'instrument AUD_NZD is not tracked',
    });
  });
});

describe('eventName', () => {
  it('should name every kind of event name a client can send, bounded', () => {
    expect(eventName('subscribe')).toBe('subscribe');
    expect(eventName(123)).toBe('123');
    expect(eventName({ a: 1 })).toBe('<object>');
    expect(eventName(null)).toBe('<null>');
    expect(eventName(undefined)).toBe('<undefined>');
    expect(eventName('e'.repeat(5_000))).toHaveLength(43);
  });
});

describe('echo', () => {
  it('should print any value within the limit', () => {
    expect(echo(7)).toBe('7');
    expect(echo({ pairs: 1 })).toBe('{"pairs":1}');
    expect(echo(undefined)).toBe('undefined');
    expect(echo(10n)).toBe('bigint');
  });
});
