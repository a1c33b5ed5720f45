import {
  type ClockMode,
  intersect,
  parseClockTime,
  readClock,
  type SessionDefinition,
  sessionState,
} from './session-clock';
import { zonedTimeToUtc } from '../platform/time';

/** The four seeded sessions (migrations/1763700000000-InitialSchema.ts). */
const SEEDED: SessionDefinition[] = [
  {
    name: 'Tokyo',
    openUtc: '00:00:00',
    closeUtc: '08:00:00',
    timezone: 'Asia/Tokyo',
    localOpen: '09:00:00',
    localClose: '17:00:00',
  },
  {
    name: 'London',
    openUtc: '08:00:00',
    closeUtc: '16:00:00',
    timezone: 'Europe/London',
    localOpen: '08:00:00',
    localClose: '16:00:00',
  },
  {
    name: 'NewYork',
    openUtc: '13:00:00',
    closeUtc: '21:00:00',
    timezone: 'America/New_York',
    localOpen: '08:00:00',
    localClose: '16:00:00',
  },
  {
    name: 'Sydney',
    openUtc: '22:00:00',
    closeUtc: '06:00:00',
    timezone: 'Australia/Sydney',
    localOpen: '08:00:00',
    localClose: '16:00:00',
  },
];
const byName = (name: string): SessionDefinition => {
  const def = SEEDED.find((s) => s.name === name);
  if (!def) throw new Error(name);
  return def;
};
const t = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

interface Case {
  why: string;
  at: string;
  mode: ClockMode;
  session: string;
  open: boolean;
  /** Open now: when it closes. Closed: when it next opens. */
  edge: string;
}

const CASES: Case[] = [
  // US daylight saving starts 2026-03-08, Europe's only on 2026-03-29.
  {
    why: 'US in DST, EU not: NY opens 12:00Z',
    at: '2026-03-09T12:30:00Z',
    mode: 'dst_aware',
    session: 'NewYork',
    open: true,
    edge: '2026-03-09T20:00:00.000Z',
  },
  {
    why: 'fixed UTC hours ignore the US change',
    at: '2026-03-09T12:30:00Z',
    mode: 'utc',
    session: 'NewYork',
    open: false,
    edge: '2026-03-09T13:00:00.000Z',
  },
  {
    why: 'before the US change NY opens 13:00Z',
    at: '2026-03-02T12:30:00Z',
    mode: 'dst_aware',
    session: 'NewYork',
    open: false,
    edge: '2026-03-02T13:00:00.000Z',
  },
  {
    why: 'London still on GMT in the US-only week',
    at: '2026-03-09T12:30:00Z',
    mode: 'dst_aware',
    session: 'London',
    open: true,
    edge: '2026-03-09T16:00:00.000Z',
  },
  {
    why: 'London on GMT before 29 March opens 08:00Z',
    at: '2026-03-23T07:30:00Z',
    mode: 'dst_aware',
    session: 'London',
    open: false,
    edge: '2026-03-23T08:00:00.000Z',
  },
  {
    why: 'London on BST after 29 March opens 07:00Z',
    at: '2026-03-30T07:30:00Z',
    mode: 'dst_aware',
    session: 'London',
    open: true,
    edge: '2026-03-30T15:00:00.000Z',
  },
  {
    why: 'fixed UTC London still opens 08:00Z in summer',
    at: '2026-03-30T07:30:00Z',
    mode: 'utc',
    session: 'London',
    open: false,
    edge: '2026-03-30T08:00:00.000Z',
  },
  // Sydney's DST starts 2026-10-04 (southern spring): its Monday opens at 21:00Z on Sunday.
  {
    why: 'Sydney before its DST opens 22:00Z',
    at: '2026-09-27T21:30:00Z',
    mode: 'dst_aware',
    session: 'Sydney',
    open: false,
    edge: '2026-09-27T22:00:00.000Z',
  },
  {
    why: 'Sydney in DST opens 21:00Z Sunday',
    at: '2026-10-04T21:30:00Z',
    mode: 'dst_aware',
    session: 'Sydney',
    open: true,
    edge: '2026-10-05T05:00:00.000Z',
  },
  {
    why: 'fixed UTC Sydney opens 22:00Z Sunday',
    at: '2026-10-04T21:30:00Z',
    mode: 'utc',
    session: 'Sydney',
    open: false,
    edge: '2026-10-04T22:00:00.000Z',
  },
  // Europe leaves DST 2026-10-25, the US only on 2026-11-01.
  {
    why: 'London back on GMT after 25 October',
    at: '2026-10-26T07:30:00Z',
    mode: 'dst_aware',
    session: 'London',
    open: false,
    edge: '2026-10-26T08:00:00.000Z',
  },
  {
    why: 'London still on BST the week before',
    at: '2026-10-19T07:30:00Z',
    mode: 'dst_aware',
    session: 'London',
    open: true,
    edge: '2026-10-19T15:00:00.000Z',
  },
  {
    why: 'NY still on EDT in the EU-only week',
    at: '2026-10-26T12:30:00Z',
    mode: 'dst_aware',
    session: 'NewYork',
    open: true,
    edge: '2026-10-26T20:00:00.000Z',
  },
  {
    why: 'NY back on EST after 1 November',
    at: '2026-11-02T12:30:00Z',
    mode: 'dst_aware',
    session: 'NewYork',
    open: false,
    edge: '2026-11-02T13:00:00.000Z',
  },
  // Sessions crossing midnight UTC.
  {
    why: 'Sydney open after midnight UTC',
    at: '2026-06-02T03:00:00Z',
    mode: 'utc',
    session: 'Sydney',
    open: true,
    edge: '2026-06-02T06:00:00.000Z',
  },
  {
    why: 'Sydney open before midnight UTC',
    at: '2026-06-01T23:00:00Z',
    mode: 'utc',
    session: 'Sydney',
    open: true,
    edge: '2026-06-02T06:00:00.000Z',
  },
  {
    why: 'Sydney closed in the afternoon UTC',
    at: '2026-06-01T21:00:00Z',
    mode: 'utc',
    session: 'Sydney',
    open: false,
    edge: '2026-06-01T22:00:00.000Z',
  },
  {
    why: 'the close instant itself is closed',
    at: '2026-06-02T06:00:00Z',
    mode: 'utc',
    session: 'Sydney',
    open: false,
    edge: '2026-06-02T22:00:00.000Z',
  },
  {
    why: 'the open instant itself is open',
    at: '2026-06-02T08:00:00Z',
    mode: 'utc',
    session: 'London',
    open: true,
    edge: '2026-06-02T16:00:00.000Z',
  },
  // Weekend: sessions only trade on their city's weekdays.
  {
    why: 'Saturday: Tokyo next opens Monday',
    at: '2026-03-14T12:00:00Z',
    mode: 'utc',
    session: 'Tokyo',
    open: false,
    edge: '2026-03-16T00:00:00.000Z',
  },
  {
    why: 'Saturday: Sydney Monday opens Sunday 22:00Z',
    at: '2026-03-14T12:00:00Z',
    mode: 'utc',
    session: 'Sydney',
    open: false,
    edge: '2026-03-15T22:00:00.000Z',
  },
  {
    why: 'Saturday: Sydney (AEDT) Monday opens Sunday 21:00Z',
    at: '2026-03-14T12:00:00Z',
    mode: 'dst_aware',
    session: 'Sydney',
    open: false,
    edge: '2026-03-15T21:00:00.000Z',
  },
  {
    why: 'Saturday: NY (EDT) next opens Monday 12:00Z',
    at: '2026-03-14T12:00:00Z',
    mode: 'dst_aware',
    session: 'NewYork',
    open: false,
    edge: '2026-03-16T12:00:00.000Z',
  },
  {
    why: 'Friday night UTC is Saturday in Sydney: closed',
    at: '2026-03-13T23:00:00Z',
    mode: 'utc',
    session: 'Sydney',
    open: false,
    edge: '2026-03-15T22:00:00.000Z',
  },
  {
    why: 'Sunday night UTC is Monday in Sydney: open',
    at: '2026-05-31T23:00:00Z',
    mode: 'utc',
    session: 'Sydney',
    open: true,
    edge: '2026-06-01T06:00:00.000Z',
  },
  {
    why: 'Friday NY (EDT) closed at 20:30Z until Monday',
    at: '2026-03-13T20:30:00Z',
    mode: 'dst_aware',
    session: 'NewYork',
    open: false,
    edge: '2026-03-16T12:00:00.000Z',
  },
  {
    why: 'Friday NY on fixed UTC hours still open at 20:30Z',
    at: '2026-03-13T20:30:00Z',
    mode: 'utc',
    session: 'NewYork',
    open: true,
    edge: '2026-03-13T21:00:00.000Z',
  },
];

describe('sessionState', () => {
  it.each(CASES)('should report $session $mode at $at ($why)', (c) => {
    const state = sessionState(byName(c.session), t(c.at), c.mode);
    expect(state.isOpen).toBe(c.open);
    if (c.open) {
      expect(iso(state.nextClose)).toBe(c.edge);
      expect(state.closesInSeconds).toBe((t(c.edge) - t(c.at)) / 1000);
      expect(state.opensInSeconds).toBeNull();
      expect(state.current?.end).toBe(t(c.edge));
    } else {
      expect(iso(state.nextOpen)).toBe(c.edge);
      expect(state.opensInSeconds).toBe((t(c.edge) - t(c.at)) / 1000);
      expect(state.closesInSeconds).toBeNull();
      expect(state.current).toBeNull();
    }
  });

  it('should give the next opening after the current one while open', () => {
    const state = sessionState(byName('London'), t('2026-06-05T09:00:00Z'), 'utc'); // a Friday
    expect(iso(state.nextOpen)).toBe('2026-06-08T08:00:00.000Z');
  });

  it('should report the effective UTC hours of a DST-shifted session', () => {
    const state = sessionState(byName('London'), t('2026-07-01T10:00:00Z'), 'dst_aware');
    expect([state.effectiveOpenUtc, state.effectiveCloseUtc]).toEqual(['07:00', '15:00']);
  });
});

describe('readClock', () => {
  const names = (r: ReturnType<typeof readClock>) =>
    r.overlaps.map((o) => `${o.sessions.join('/')} ${iso(o.start)}-${iso(o.end)}`);

  it('should find the London/New York overlap on fixed UTC hours', () => {
    expect(names(readClock(SEEDED, t('2026-06-03T14:00:00Z'), 'utc'))).toEqual([
      'London/NewYork 2026-06-03T13:00:00.000Z-2026-06-03T16:00:00.000Z',
    ]);
  });

  it('should find the Sydney/Tokyo overlap across midnight UTC', () => {
    expect(names(readClock(SEEDED, t('2026-06-03T03:00:00Z'), 'utc'))).toEqual([
      'Sydney/Tokyo 2026-06-03T00:00:00.000Z-2026-06-03T06:00:00.000Z',
    ]);
  });

  it('should find the Tokyo/London overlap that only exists in European summer', () => {
    const at = t('2026-07-01T07:30:00Z');
    expect(names(readClock(SEEDED, at, 'dst_aware'))).toEqual([
      'Tokyo/London 2026-07-01T07:00:00.000Z-2026-07-01T08:00:00.000Z',
    ]);
    // On the table's fixed hours Tokyo closes exactly when London opens: touching is not overlapping.
    expect(readClock(SEEDED, at, 'utc').overlaps).toEqual([]);
  });

  it('should widen London/New York to 12:00-16:00Z in the week only the US is on DST', () => {
    expect(names(readClock(SEEDED, t('2026-03-10T15:00:00Z'), 'dst_aware'))).toEqual([
      'London/NewYork 2026-03-10T12:00:00.000Z-2026-03-10T16:00:00.000Z',
    ]);
  });

  it('should report no open session and no overlap on a Saturday', () => {
    const reading = readClock(SEEDED, t('2026-03-14T12:00:00Z'), 'dst_aware');
    expect(reading.sessions.filter((s) => s.isOpen)).toEqual([]);
    expect(reading.overlaps).toEqual([]);
    expect(iso(reading.upcomingOverlaps[0].start)).toBe('2026-03-16T00:00:00.000Z');
    expect(reading.upcomingOverlaps[0].sessions).toEqual(['Sydney', 'Tokyo']);
  });

  it('should list upcoming overlaps in time order, one per overlapping pair', () => {
    const reading = readClock(SEEDED, t('2026-06-03T10:00:00Z'), 'utc');
    expect(reading.upcomingOverlaps.map((o) => o.sessions.join('/'))).toEqual([
      'London/NewYork',
      'Sydney/Tokyo',
    ]);
  });
});

describe('intersect', () => {
  it('should intersect sorted interval lists', () => {
    expect(
      intersect(
        [
          { start: 0, end: 10 },
          { start: 20, end: 30 },
        ],
        [
          { start: 5, end: 25 },
          { start: 28, end: 40 },
        ],
      ),
    ).toEqual([
      { start: 5, end: 10 },
      { start: 20, end: 25 },
      { start: 28, end: 30 },
    ]);
  });
});

describe('parseClockTime', () => {
  it('should parse HH:MM and HH:MM:SS', () => {
    expect(parseClockTime('22:30')).toBe(1350);
    expect(parseClockTime('06:00:00')).toBe(360);
  });

  it('should reject a malformed time naming it', () => {
    expect(() => parseClockTime('25:00')).toThrow('"25:00" is not a time of day');
  });
});

describe('zonedTimeToUtc', () => {
  it('should convert local wall time on either side of a DST change', () => {
    expect(iso(zonedTimeToUtc({ year: 2026, month: 3, day: 28 }, 480, 'Europe/London'))).toBe(
      '2026-03-28T08:00:00.000Z',
    );
    expect(iso(zonedTimeToUtc({ year: 2026, month: 3, day: 29 }, 480, 'Europe/London'))).toBe(
      '2026-03-29T07:00:00.000Z',
    );
  });

  it('should resolve a wall time skipped by spring-forward to just after the gap', () => {
    // 02:30 does not exist in New York on 2026-03-08; clocks jump from 02:00 EST to 03:00 EDT.
    expect(iso(zonedTimeToUtc({ year: 2026, month: 3, day: 8 }, 150, 'America/New_York'))).toBe(
      '2026-03-08T07:30:00.000Z',
    );
  });

  it('should reject an unknown time zone naming it', () => {
    expect(() => zonedTimeToUtc({ year: 2026, month: 1, day: 1 }, 0, 'Mars/Olympus')).toThrow(
      'unknown time zone "Mars/Olympus"',
    );
  });
});
