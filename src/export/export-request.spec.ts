import { exportFilename, ExportInputError, resolveExportRequest } from './export-request';

const ctx = { tracked: ['EUR_USD', 'GBP_USD', 'USD_JPY'], windows: [30, 100], prefix: '' as const };

describe('resolveExportRequest', () => {
  it('should default to every tracked instrument, H1, csv and the whole history', () => {
    expect(resolveExportRequest('candles', {}, ctx)).toEqual({
      kind: 'candles',
      instruments: ['EUR_USD', 'GBP_USD', 'USD_JPY'],
      from: undefined,
      to: undefined,
      granularity: 'H1',
      window: undefined,
      format: 'csv',
    });
  });

  it('should parse every field it is given', () => {
    const req = resolveExportRequest(
      'correlations',
      {
        instruments: 'GBP_USD,EUR_USD',
        from: '2026-01-01',
        to: '2026-02-01T12:00:00+01:00',
        window: '100',
        format: 'parquet',
      },
      ctx,
    );
    expect(req).toMatchObject({
      instruments: ['GBP_USD', 'EUR_USD'],
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-02-01T11:00:00Z'),
      window: 100,
      format: 'parquet',
    });
  });

  it.each([
    ['candles', { from: '2026-02-30' }, /^from is not a valid calendar date-time: day 30/],
    ['candles', { from: '2026-03-02', to: '2026-03-01' }, /^from must not be after to$/],
    ['candles', { instruments: 'EUR_SEK' }, /^instruments: EUR_SEK is not tracked/],
    ['candles', { instruments: 'eur_usd' }, /^instruments: "eur_usd" is not an instrument name/],
    ['candles', { granularity: 'H7' }, /^granularity must be one of S5/],
    ['candles', { format: 'xlsx' }, /^format must be one of csv, parquet, got "xlsx"$/],
    ['candles', { window: '100' }, /^window does not apply to a candles export$/],
    ['metrics', { granularity: 'H1' }, /^granularity does not apply to a metrics export$/],
    ['correlations', { window: '50' }, /^window must be one of 30, 100$/],
    [
      'correlations',
      { window: '1e2' },
      /^window must be an integer from 2 to 100000 in plain digits/,
    ],
  ] as const)('should refuse %s %j naming the field', (kind, raw, message) => {
    expect(() => resolveExportRequest(kind, raw, ctx)).toThrow(ExportInputError);
    expect(() => resolveExportRequest(kind, raw, ctx)).toThrow(message);
  });

  it('should name CLI options with their dashes', () => {
    expect(() =>
      resolveExportRequest('metrics', { to: 'yesterday' }, { ...ctx, prefix: '--' }),
    ).toThrow(/^--to must be an ISO-8601 date-time/);
  });
});

describe('exportFilename', () => {
  it('should name kind, single instrument, granularity or window and the range', () => {
    const base = resolveExportRequest(
      'candles',
      { instruments: 'EUR_USD', from: '2026-01-01', to: '2026-03-01', format: 'parquet' },
      ctx,
    );
    expect(exportFilename(base)).toBe('fx_candles_EUR_USD_H1_20260101-20260301.parquet');
    expect(exportFilename(resolveExportRequest('correlations', { window: '30' }, ctx))).toBe(
      'fx_correlations_w30_start-end.csv',
    );
    expect(
      exportFilename(resolveExportRequest('metrics', { instruments: 'EUR_USD,GBP_USD' }, ctx)),
    ).toBe('fx_metrics_start-end.csv');
  });
});
