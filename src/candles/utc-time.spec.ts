import { parseUtcTime } from './utc-time';

describe('parseUtcTime', () => {
  it.each([
    ['2026-03-04', '2026-03-04T00:00:00.000Z'],
    ['2026-03-04T10:00', '2026-03-04T10:00:00.000Z'],
    ['2026-03-04T10:00Z', '2026-03-04T10:00:00.000Z'],
    ['2026-03-04 10:00:30', '2026-03-04T10:00:30.000Z'],
    ['2026-03-04T10:00:00+02:00', '2026-03-04T08:00:00.000Z'],
    ['2026-03-04T10:00:00.123456789Z', '2026-03-04T10:00:00.123Z'],
  ])('should read %s as %s', (text, expected) => {
    expect(parseUtcTime(text)?.toISOString()).toBe(expected);
  });

  it.each([
    '',
    'yesterday',
    '2026-02-30',
    '2026-13-01',
    '2026-03-04T24:00Z',
    '2026-03-04T10:61Z',
    '1772618400',
  ])('should reject %p', (text) => {
    expect(parseUtcTime(text)).toBeUndefined();
  });
});
