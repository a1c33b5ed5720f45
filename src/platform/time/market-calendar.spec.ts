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
  it('should close from Friday 17:00 to Sunday 17:00 New York: 22:00 UTC in US winter', () => {
    expect(isOpenAt(at('2026-11-20T21:59:59Z'))).toBe(true); // Friday
    expect(isOpenAt(at('2026-11-20T22:00:00Z'))).toBe(false);
    expect(isOpenAt(at('2026-11-21T12:00:00Z'))).toBe(false); // Saturday
    expect(isOpenAt(at('2026-11-22T21:59:59Z'))).toBe(false); // Sunday
    expect(isOpenAt(at('2026-11-22T22:00:00Z'))).toBe(true);
    expect(isOpenAt(at('2026-11-25T03:00:00Z'))).toBe(true); // Wednesday
  });

  it('should close and open at 21:00 UTC while the US is on daylight time', () => {
    expect(isOpenAt(at('2026-07-10T20:59:59Z'))).toBe(true); // Friday
    expect(isOpenAt(at('2026-07-10T21:00:00Z'))).toBe(false);
    expect(isOpenAt(at('2026-07-12T20:59:59Z'))).toBe(false); // Sunday
    expect(isOpenAt(at('2026-07-12T21:00:00Z'))).toBe(true);
  });

  it.each([
    // [Friday before, close hour, Sunday, open hour] around the 2026 US changes (Mar 8, Nov 1)
    ['2026-03-06', 22, '2026-03-08', 21], // DST starts that Sunday at 07:00 UTC, before the open
    ['2026-10-30', 21, '2026-11-01', 22], // DST ends that Sunday at 06:00 UTC
    ['2020-12-18', 22, '2020-12-20', 22],
  ])(
    'should follow the US clock change weeks (Friday %s closes %i:00 UTC)',
    (fri, close, sun, open) => {
      const hour = (day: string, h: number) => at(`${day}T${String(h).padStart(2, '0')}:00:00Z`);
      expect(isOpenAt(hour(fri, close - 1))).toBe(true);
      expect(isOpenAt(hour(fri, close))).toBe(false);
      expect(isOpenAt(hour(sun, open - 1))).toBe(false);
      expect(isOpenAt(hour(sun, open))).toBe(true);
    },
  );

  it('should find the next open and the last open instant around a weekend', () => {
    expect(new Date(nextOpen(at('2026-11-21T12:00:00Z'))).toISOString()).toBe(
      '2026-11-22T22:00:00.000Z',
    );
    expect(new Date(lastOpenInstant(at('2026-11-21T12:00:00Z'))).toISOString()).toBe(
      '2026-11-20T22:00:00.000Z',
    );
    expect(lastOpenInstant(at('2026-11-24T10:11:12Z'))).toBe(at('2026-11-24T10:11:12Z'));
  });

  it('should align periods: hours from midnight, days and weeks at 17:00 New York, calendar months', () => {
    const t = at('2026-11-24T10:11:12Z');
    expect(new Date(periodStart('H4', t)).toISOString()).toBe('2026-11-24T08:00:00.000Z');
    expect(new Date(periodStart('M15', t)).toISOString()).toBe('2026-11-24T10:00:00.000Z');
    expect(new Date(periodStart('D', t)).toISOString()).toBe('2026-11-23T22:00:00.000Z');
    expect(new Date(periodStart('W', t)).toISOString()).toBe('2026-11-22T22:00:00.000Z');
    const summer = at('2026-07-15T21:30:00Z');
    expect(new Date(periodStart('D', summer)).toISOString()).toBe('2026-07-15T21:00:00.000Z');
    // The day that contains the November clock change lasts 25 hours.
    expect(new Date(nextPeriodStart('D', at('2026-10-31T21:00:00Z'))).toISOString()).toBe(
      '2026-11-01T22:00:00.000Z',
    );
    expect(new Date(periodStart('M', t)).toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(new Date(nextPeriodStart('M', at('2026-12-01T00:00:00Z'))).toISOString()).toBe(
      '2027-01-01T00:00:00.000Z',
    );
    expect(firstPeriodAtOrAfter('H1', at('2026-11-24T10:00:00Z'))).toBe(at('2026-11-24T10:00:00Z'));
    expect(firstPeriodAtOrAfter('H1', at('2026-11-24T10:00:01Z'))).toBe(at('2026-11-24T11:00:00Z'));
  });
});
