import { JOB_NAMES } from '../platform/config';
import {
  assertValidCron,
  CRON_VARIABLES,
  graceMs,
  isCatchUpDue,
  JOB_DESCRIPTIONS,
  nextRuns,
  periodMs,
} from './job-schedule';

const at = (iso: string): Date => new Date(iso);
const HOUR = 3_600_000;

describe('nextRuns', () => {
  it.each([
    [
      'hourly at 2 minutes past',
      '0 2 * * * *',
      '2026-03-09T12:02:00Z',
      ['2026-03-09T13:02:00.000Z', '2026-03-09T14:02:00.000Z'],
    ],
    [
      'hourly just before the tick',
      '0 2 * * * *',
      '2026-03-09T12:01:59Z',
      ['2026-03-09T12:02:00.000Z', '2026-03-09T13:02:00.000Z'],
    ],
    [
      'daily at 00:00 UTC',
      '0 0 0 * * *',
      '2026-03-28T23:59:00Z',
      ['2026-03-29T00:00:00.000Z', '2026-03-30T00:00:00.000Z'],
    ],
    [
      'Sunday 02:00 UTC',
      '0 0 2 * * 0',
      '2026-03-09T12:00:00Z',
      ['2026-03-15T02:00:00.000Z', '2026-03-22T02:00:00.000Z'],
    ],
    [
      'five-field expression',
      '30 * * * *',
      '2026-03-09T12:31:00Z',
      ['2026-03-09T13:30:00.000Z', '2026-03-09T14:30:00.000Z'],
    ],
  ])('should compute the next runs of %s in UTC', (_why, cron, from, expected) => {
    expect(nextRuns(cron, at(from), 2).map((d) => d.toISOString())).toEqual(expected);
  });
});

describe('periodMs', () => {
  it('should find hourly, daily and weekly periods', () => {
    const from = at('2026-03-09T12:00:00Z');
    expect(periodMs('0 2 * * * *', from)).toBe(HOUR);
    expect(periodMs('0 0 0 * * *', from)).toBe(24 * HOUR);
    expect(periodMs('0 0 2 * * 0', from)).toBe(7 * 24 * HOUR);
  });

  it('should take the longest gap of an irregular schedule', () => {
    expect(periodMs('0 0 9,17 * * *', at('2026-03-09T12:00:00Z'))).toBe(16 * HOUR);
  });
});

describe('isCatchUpDue', () => {
  const now = at('2026-03-10T12:00:00Z');
  it.each([
    ['never succeeded', null, HOUR, true],
    ['hourly, 65 min ago (inside the 10 min grace)', at('2026-03-10T10:55:00Z'), HOUR, false],
    ['hourly, 71 min ago', at('2026-03-10T10:49:00Z'), HOUR, true],
    ['daily, 24 h 59 min ago', at('2026-03-09T11:01:00Z'), 24 * HOUR, false],
    ['daily, 25 h 1 min ago', at('2026-03-09T10:59:00Z'), 24 * HOUR, true],
    ['weekly, 6 days ago', at('2026-03-04T12:00:00Z'), 168 * HOUR, false],
    ['weekly, 7 days 2 h ago', at('2026-03-03T10:00:00Z'), 168 * HOUR, true],
  ])('should decide %s', (_why, last, period, due) => {
    expect(isCatchUpDue(last, now, period)).toBe(due);
  });

  it('should cap the grace at one hour', () => {
    expect(graceMs(HOUR)).toBe(10 * 60_000);
    expect(graceMs(168 * HOUR)).toBe(HOUR);
  });
});

describe('assertValidCron', () => {
  it('should name the variable of an invalid expression', () => {
    expect(() => assertValidCron('hourly', '0 61 * * * *')).toThrow(
      /HOURLY_JOB_CRON="0 61 \* \* \* \*" is not a valid cron expression/,
    );
  });

  it('should accept the defaults', () => {
    expect(() => assertValidCron('retention', '0 0 2 * * 0')).not.toThrow();
  });
});

describe('schedule names and descriptions', () => {
  it('should come from the job definitions, one per job', () => {
    expect(Object.keys(CRON_VARIABLES)).toEqual([...JOB_NAMES]);
    expect(CRON_VARIABLES.retention).toBe('RETENTION_JOB_CRON');
    expect(JOB_DESCRIPTIONS.hourly).toBe(
      'Sync the latest candles from the provider, then compute volatility metrics, then evaluate the indicator alert rules on the new metrics',
    );
    expect(() => assertValidCron('retention', 'nope')).toThrow(/^RETENTION_JOB_CRON="nope"/);
  });
});
