import request from 'supertest';
import { SessionsService } from '../src/sessions/sessions.service';
import { startTestApp, TestApp } from './utils/test-app';

/** Booting an app (migrations, Redis connect timeouts) on a busy 2-core machine. */
const HOOK_TIMEOUT_MS = 60_000;

interface SessionBody {
  name: string;
  is_open: boolean;
  opens_in_seconds: number | null;
  closes_in_seconds: number | null;
  next_open: string;
  next_close: string;
  effective_open_utc: string;
}

describe(SessionsService.name, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({}, 'ops_sessions');
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await t?.close();
  }, HOOK_TIMEOUT_MS);

  const get = async (query: string) => {
    const res = await request(t.url).get(`/api/v1/sessions${query}`).expect(200);
    const byName = new Map<string, SessionBody>(
      res.body.sessions.map((s: SessionBody) => [s.name, s]),
    );
    return { body: res.body, session: (name: string) => byName.get(name) as SessionBody };
  };

  it('should read the four seeded sessions with their hours', async () => {
    const { body, session } = await get('?at=2026-06-03T14:00:00Z');
    expect(body.sessions.map((s: SessionBody) => s.name)).toEqual([
      'Tokyo',
      'London',
      'NewYork',
      'Sydney',
    ]);
    expect(session('Sydney')).toMatchObject({
      open_utc: '22:00',
      close_utc: '06:00',
      local_open: '08:00',
      timezone: 'Australia/Sydney',
    });
  });

  it('should report open sessions, time to close and the London/New York overlap', async () => {
    const { body, session } = await get('?at=2026-06-03T14:00:00Z');
    expect(body.at).toBe('2026-06-03T14:00:00.000Z');
    expect(body.dst_aware).toBe(false);
    expect(body.open_sessions).toEqual(['London', 'NewYork']);
    expect(session('London')).toMatchObject({
      is_open: true,
      closes_in_seconds: 7200,
      opens_in_seconds: null,
    });
    expect(session('Tokyo')).toMatchObject({
      is_open: false,
      opens_in_seconds: 36000,
      next_open: '2026-06-04T00:00:00.000Z',
    });
    expect(body.overlaps).toEqual([
      {
        name: 'London/NewYork',
        sessions: ['London', 'NewYork'],
        start: '2026-06-03T13:00:00.000Z',
        end: '2026-06-03T16:00:00.000Z',
        starts_in_seconds: -3600,
        ends_in_seconds: 7200,
      },
    ]);
  });

  it('should handle Sydney across midnight UTC', async () => {
    const { body, session } = await get('?at=2026-06-03T02:00:00Z');
    expect(session('Sydney')).toMatchObject({
      is_open: true,
      next_close: '2026-06-03T06:00:00.000Z',
    });
    expect(body.overlaps.map((o: { name: string }) => o.name)).toEqual(['Sydney/Tokyo']);
  });

  it('should shift New York by US daylight saving only with dst_aware', async () => {
    // 9 March 2026: the US is on daylight time since the 8th, Europe not until the 29th.
    const fixed = await get('?at=2026-03-09T12:30:00Z');
    const aware = await get('?at=2026-03-09T12:30:00Z&dst_aware=true');
    expect(fixed.session('NewYork').is_open).toBe(false);
    expect(aware.body.dst_aware).toBe(true);
    expect(aware.session('NewYork')).toMatchObject({
      is_open: true,
      effective_open_utc: '12:00',
      next_close: '2026-03-09T20:00:00.000Z',
    });
    expect(aware.session('London').effective_open_utc).toBe('08:00');
  });

  it('should report nothing open at the weekend, with the next opening', async () => {
    const { body, session } = await get('?at=2026-11-21T12:00:00Z');
    expect(body.open_sessions).toEqual([]);
    expect(body.overlaps).toEqual([]);
    expect(session('Sydney').next_open).toBe('2026-11-22T22:00:00.000Z');
  });

  it('should evaluate now when `at` is absent', async () => {
    const { body } = await get('');
    expect(Number.isNaN(Date.parse(body.at))).toBe(false);
    expect(body.sessions).toHaveLength(4);
  });

  it.each([
    ['at=yesterday', 'at must be an ISO-8601 date-time'],
    ['at=2026-02-30T10:00:00Z', 'at is not a valid calendar date-time'],
    ['at=2026-03-09T12:30:00', 'at must be an ISO-8601 date-time with a zone'],
    ['dst_aware=maybe', 'dst_aware must be true or false'],
    ['tz=UTC', 'property tz should not exist'],
  ])('should answer 400 naming the field for %s', async (query, message) => {
    const res = await request(t.url).get(`/api/v1/sessions?${query}`).expect(400);
    expect(JSON.stringify(res.body.message)).toContain(message);
  });
});
