import { CliOptionError, parseCandleCliOptions } from './cli-options';

const ctx = { tracked: ['EUR_USD', 'GBP_USD', 'USD_JPY'], now: new Date('2026-03-04T12:00:00Z') };

describe('parseCandleCliOptions', () => {
  it('should default to every tracked instrument, H1, 365 days, concurrency 4', () => {
    expect(parseCandleCliOptions({}, ctx)).toEqual({
      instruments: ['EUR_USD', 'GBP_USD', 'USD_JPY'],
      granularity: 'H1',
      days: 365,
      from: undefined,
      to: undefined,
      concurrency: 4,
      timeoutSeconds: undefined,
      withMetrics: false,
    });
  });

  it('should parse a range, a list and the flags', () => {
    const o = parseCandleCliOptions(
      {
        instruments: 'GBP_USD, EUR_USD,GBP_USD',
        granularity: 'M15',
        from: '2026-03-01',
        to: '2026-03-02T12:00Z',
        withMetrics: true,
        concurrency: '2',
      },
      ctx,
    );
    expect(o.instruments).toEqual(['GBP_USD', 'EUR_USD']);
    expect(o.granularity).toBe('M15');
    expect(o.from?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(o.to?.toISOString()).toBe('2026-03-02T12:00:00.000Z');
    expect(o.withMetrics).toBe(true);
    expect(o.concurrency).toBe(2);
  });

  it.each([
    [{ instruments: 'EURUSD' }, /--instruments: "EURUSD" is not an instrument name/],
    [{ instruments: 'EUR_SEK' }, /--instruments: EUR_SEK is not tracked/],
    [{ instruments: ',' }, /--instruments is empty/],
    [{ granularity: 'H7' }, /--granularity: unknown granularity "H7"/],
    [{ days: '0' }, /--days must be between 1 and 3650, got 0/],
    [{ days: '1.5' }, /--days must be an integer from 1 to 3650/],
    [{ days: 'ten' }, /--days must be an integer/],
    [{ days: '0x10' }, /--days must be an integer/],
    [{ days: '1e2' }, /--days must be an integer/],
    [{ days: ' 100' }, /--days must be an integer/],
    [{ days: '100.0' }, /--days must be an integer/],
    [
      { from: '2026-13-01', to: '2026-03-02' },
      /--from is not a valid calendar date-time: month 13/,
    ],
    [{ from: '2026-02-30', to: '2026-03-02' }, /--from is not a valid calendar date-time: day 30/],
    [{ from: '2025-02-29', to: '2026-03-02' }, /--from is not a valid calendar date-time: day 29/],
    [{ from: '2025-04-31', to: '2026-03-02' }, /--from is not a valid calendar date-time: day 31/],
    [{ from: '0000-01-01', to: '2026-03-02' }, /--from is not a valid calendar date-time: year 0/],
    [{ from: '2026-03-01', to: 'tomorrow' }, /--to must be an ISO-8601 date-time with a zone/],
    [{ from: '2026-03-01', to: '2026-03-02T12:00' }, /--to must be an ISO-8601 date-time/],
    [{ from: '2026-03-01' }, /--from and --to go together/],
    [
      { from: '2026-03-02', to: '2026-03-01' },
      /--from \(2026-03-02T00:00:00.000Z\) must be before --to/,
    ],
    [{ from: '2026-03-01', to: '2026-03-01' }, /must be before --to/],
    [{ from: '2026-04-01', to: '2026-05-01' }, /--from .* is in the future/],
    [{ from: '2026-03-01', to: '2026-03-02', days: '3' }, /--days cannot be combined/],
    [{ concurrency: '99' }, /--concurrency must be between 1 and 16/],
  ])('should reject %p with a message naming the option', (raw, message) => {
    expect(() => parseCandleCliOptions(raw, ctx)).toThrow(CliOptionError);
    expect(() => parseCandleCliOptions(raw, ctx)).toThrow(message);
  });
});
