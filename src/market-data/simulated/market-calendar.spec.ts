import {
  firstPeriodAtOrAfter,
  isOpenAt,
  lastOpenInstant,
  nextOpen,
  nextPeriodStart,
  periodStart,
} from './market-calendar';

const at = (iso: string) => Date.parse(iso);

describe('market calendar', () => {
  it('should close from Friday 21:00 UTC to Sunday 21:00 UTC', () => {
    expect(isOpenAt(at('2026-11-20T20:59:59Z'))).toBe(true); // Friday
    expect(isOpenAt(at('2026-11-20T21:00:00Z'))).toBe(false);
    expect(isOpenAt(at('2026-11-21T12:00:00Z'))).toBe(false); // Saturday
    expect(isOpenAt(at('2026-11-22T20:59:59Z'))).toBe(false); // Sunday
    expect(isOpenAt(at('2026-11-22T21:00:00Z'))).toBe(true);
    expect(isOpenAt(at('2026-11-25T03:00:00Z'))).toBe(true); // Wednesday
  });

  it('should find the next open and the last open instant around a weekend', () => {
    expect(new Date(nextOpen(at('2026-11-21T12:00:00Z'))).toISOString()).toBe(
      '2026-11-22T21:00:00.000Z',
    );
    expect(new Date(lastOpenInstant(at('2026-11-21T12:00:00Z'))).toISOString()).toBe(
      '2026-11-20T21:00:00.000Z',
    );
    expect(lastOpenInstant(at('2026-11-24T10:11:12Z'))).toBe(at('2026-11-24T10:11:12Z'));
  });

  it('should align periods: hours from midnight, days at 21:00, weeks on Sunday 21:00, calendar months', () => {
    const t = at('2026-11-24T10:11:12Z');
    expect(new Date(periodStart('H4', t)).toISOString()).toBe('2026-11-24T08:00:00.000Z');
    expect(new Date(periodStart('M15', t)).toISOString()).toBe('2026-11-24T10:00:00.000Z');
    expect(new Date(periodStart('D', t)).toISOString()).toBe('2026-11-23T21:00:00.000Z');
    expect(new Date(periodStart('W', t)).toISOString()).toBe('2026-11-22T21:00:00.000Z');
    expect(new Date(periodStart('M', t)).toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(new Date(nextPeriodStart('M', at('2026-12-01T00:00:00Z'))).toISOString()).toBe(
      '2027-01-01T00:00:00.000Z',
    );
    expect(firstPeriodAtOrAfter('H1', at('2026-11-24T10:00:00Z'))).toBe(at('2026-11-24T10:00:00Z'));
    expect(firstPeriodAtOrAfter('H1', at('2026-11-24T10:00:01Z'))).toBe(at('2026-11-24T11:00:00Z'));
  });
});
