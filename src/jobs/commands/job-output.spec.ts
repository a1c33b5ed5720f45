import { formatRunResult, formatTable, runExitCode } from './job-output';

describe('formatTable', () => {
  it('should align columns to the widest cell', () => {
    expect(
      formatTable(
        ['NAME', 'STATUS'],
        [
          ['hourly', 'success'],
          ['daily-correlation', '-'],
        ],
      ),
    ).toBe(
      ['NAME               STATUS', 'hourly             success', 'daily-correlation  -'].join(
        '\n',
      ),
    );
  });
});

describe('formatRunResult', () => {
  it('should print status, duration, records, error and details', () => {
    const text = formatRunResult('retention', {
      logId: 7,
      status: 'failed',
      durationSeconds: 1.234,
      recordsProcessed: 0,
      errorMessage: 'timed out after 1 s',
      details: { dry_run: true },
    });
    expect(text.split('\n')[0]).toBe(
      'job retention: failed in 1.23 s, 0 records (cron_job_log #7)',
    );
    expect(text).toContain('error: timed out after 1 s');
    expect(text).toContain('"dry_run": true');
  });
});

describe('runExitCode', () => {
  it('should exit 0 only for a complete success', () => {
    expect(runExitCode('success')).toBe(0);
    expect(runExitCode('partial')).toBe(1);
    expect(runExitCode('failed')).toBe(1);
    expect(runExitCode('running')).toBe(1);
    expect(runExitCode('skipped')).toBe(2);
  });
});
