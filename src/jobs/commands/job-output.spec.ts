import { formatTable } from '../../platform/cli';
import { formatRunResult, runExitCode } from './job-output';

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

  it('should say a dry run wrote nothing and list what each step would change', () => {
    const text = formatRunResult('daily-correlation', {
      logId: null,
      dryRun: true,
      status: 'success',
      durationSeconds: 2,
      recordsProcessed: 380,
      errorMessage: null,
      details: {
        dry_run: true,
        steps: {
          correlation: { details: { would_insert: 0, would_update: 380, would_alert: 2 } },
          'best-pairs': { details: { would_delete: 380, would_insert: 380 } },
        },
      },
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      'job daily-correlation (dry run, nothing written): success in 2.00 s, 380 records (not logged)',
    );
    expect(lines[1]).toBe('would change: correlation: insert 0, update 380, alert 2');
    expect(lines[2]).toBe('would change: best-pairs: delete 380, insert 380');
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
