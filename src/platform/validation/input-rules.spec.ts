import {
  bounded,
  MAX_ECHO_CHARS,
  parseCalendarDate,
  parseCalendarDay,
  parseEnum,
  parseIsoTime,
  parseStrictInt,
  quoted,
} from './input-rules';

const reason = (parsed: { ok: boolean; reason?: string }): string | undefined =>
  parsed.ok ? undefined : parsed.reason;

describe('parseCalendarDate', () => {
  it.each(['2026-03-10', '2024-02-29', '2000-02-29', '1970-01-01', '9999-12-31'])(
    'should accept %s',
    (text) => {
      expect(parseCalendarDate(text)).toEqual({ ok: true, value: text });
    },
  );

  it.each([
    ['2026-02-30', /not a valid calendar date: day 30 does not exist in 2026-02 \(28 days\)/],
    ['2025-02-29', /day 29 does not exist in 2025-02/],
    ['1900-02-29', /year 1900 is out of range/],
    ['2100-02-29', /day 29 does not exist in 2100-02/],
    ['2026-04-31', /day 31 does not exist in 2026-04 \(30 days\)/],
    ['2026-13-01', /month 13 does not exist/],
    ['2026-00-10', /month 0 does not exist/],
    ['2026-01-00', /day 0 does not exist/],
    ['0000-01-01', /year 0 is out of range \(1970 to 9999\)/],
    ['1969-12-31', /year 1969 is out of range/],
    ['24-12-2020', /must be a date like 2026-03-09/],
    ['2026-3-1', /must be a date like/],
    ['+02026-03-01', /must be a date like/],
    ['2026-03-10T00:00:00Z', /must be a date like/],
    [' 2026-03-10', /must be a date like/],
    ['', /must be a date like/],
    ["2026-03-10' OR 1=1--", /must be a date like/],
  ])('should refuse %p naming why', (text, why) => {
    expect(reason(parseCalendarDate(text))).toMatch(why);
  });

  it('should refuse a value that is not a string (a repeated parameter)', () => {
    expect(parseCalendarDate(['2026-03-10', '2026-03-11']).ok).toBe(false);
  });

  it('should give midnight UTC for a day', () => {
    const day = parseCalendarDay('2026-03-09');
    expect(day.ok && day.value.toISOString()).toBe('2026-03-09T00:00:00.000Z');
  });
});

describe('parseIsoTime', () => {
  it.each([
    ['2026-03-04', '2026-03-04T00:00:00.000Z'],
    ['2026-03-04T10:00Z', '2026-03-04T10:00:00.000Z'],
    ['2026-03-04T10:00:30Z', '2026-03-04T10:00:30.000Z'],
    ['2026-03-04T10:00:00+02:00', '2026-03-04T08:00:00.000Z'],
    ['2026-03-04T10:00:00-05:30', '2026-03-04T15:30:00.000Z'],
    ['2026-03-04T10:00:00.123456789Z', '2026-03-04T10:00:00.123Z'],
    ['2024-02-29T23:59:59Z', '2024-02-29T23:59:59.000Z'],
  ])('should read %s as %s', (text, expected) => {
    const t = parseIsoTime(text);
    expect(t.ok && t.value.toISOString()).toBe(expected);
  });

  it.each([
    ['2026-02-30T10:00:00Z', /not a valid calendar date-time: day 30 does not exist/],
    ['2025-02-29', /day 29 does not exist/],
    ['2026-04-31T00:00Z', /day 31 does not exist/],
    ['0000-01-01T00:00:00Z', /year 0 is out of range/],
    ['10000-01-01T00:00:00Z', /must be an ISO-8601 date-time with a zone/],
    ['2026-03-04T24:00Z', /hour 24 does not exist/],
    ['2026-03-04T10:61Z', /minute 61 does not exist/],
    ['2026-03-04T10:00:60Z', /second 60 does not exist/],
    ['2026-03-04T10:00:00+24:00', /offset \+24:00 does not exist/],
    ['2026-03-04T10:00:00', /must be an ISO-8601 date-time with a zone/],
    ['2026-03-04 10:00Z', /must be an ISO-8601/],
    ['2026-03-04t10:00z', /must be an ISO-8601/],
    ['2026-03-04T10:00:00+0200', /must be an ISO-8601/],
    ['yesterday', /must be an ISO-8601/],
    ['1772618400', /must be an ISO-8601/],
    ['', /must be an ISO-8601/],
  ])('should refuse %p naming why', (text, why) => {
    expect(reason(parseIsoTime(text))).toMatch(why);
  });
});

describe('parseStrictInt', () => {
  const range = { min: 1, max: 5000 };

  it.each([
    ['1', 1],
    ['100', 100],
    ['5000', 5000],
  ])('should accept %p', (text, n) => {
    expect(parseStrictInt(text, range)).toEqual({ ok: true, value: n });
  });

  it('should accept negatives only where the range allows them', () => {
    expect(parseStrictInt('-3', { min: -10, max: 10 })).toEqual({ ok: true, value: -3 });
    expect(reason(parseStrictInt('-3', range))).toBe('must be between 1 and 5000, got -3');
  });

  it.each([
    '0x10',
    '100.0',
    ' 100',
    '100 ',
    '1e2',
    '+5',
    '010',
    '',
    'ten',
    '１００',
    '-0',
    '1_000',
  ])('should refuse %p as not plain digits', (text) => {
    expect(reason(parseStrictInt(text, range))).toMatch(
      /^must be an integer from 1 to 5000 in plain digits, got "/,
    );
  });

  it.each(['0', '5001', '99999999999999999999'])('should refuse %p as out of range', (text) => {
    expect(reason(parseStrictInt(text, range))).toMatch(/^must be between 1 and 5000, got /);
  });

  it('should refuse a repeated parameter (an array)', () => {
    expect(reason(parseStrictInt(['1', '2'], range))).toBe('must be an integer from 1 to 5000');
  });
});

describe('parseEnum', () => {
  it('should accept a listed word exactly as written', () => {
    expect(parseEnum('csv', ['json', 'csv'])).toEqual({ ok: true, value: 'csv' });
    expect(reason(parseEnum('CSV', ['json', 'csv']))).toBe('must be one of json, csv, got "CSV"');
  });
});

describe('bounded', () => {
  it('should keep short text and cut long text to the limit plus an ellipsis', () => {
    expect(bounded('hourly')).toBe('hourly');
    const long = 'x'.repeat(10_000);
    expect(bounded(long)).toBe(`${'x'.repeat(MAX_ECHO_CHARS)}…`);
    expect(quoted(long).length).toBeLessThanOrEqual(MAX_ECHO_CHARS + 3);
  });

  it('should not split a character made of two UTF-16 units', () => {
    const text = '😀'.repeat(100);
    expect(Array.from(bounded(text))).toHaveLength(MAX_ECHO_CHARS + 1);
    expect(bounded(text).startsWith('😀'.repeat(MAX_ECHO_CHARS))).toBe(true);
  });
});
