import { AppConfig } from './app-config';
import { EnvironmentVariables } from './env.validation';
import {
  isJobName,
  JOB_DEFINITIONS,
  jobDefinition,
  JOB_NAMES,
  jobDescription,
  LOGGED_JOB_NAMES,
  stepNames,
} from './job-definitions';

describe('job definitions', () => {
  const defaults = new EnvironmentVariables() as unknown as Record<string, unknown>;

  it('should name each job and each step of a job once', () => {
    expect(new Set(JOB_NAMES).size).toBe(JOB_DEFINITIONS.length);
    for (const def of JOB_DEFINITIONS) {
      const names = def.steps.map((s) => s.name);
      expect({ job: def.name, unique: new Set(names).size }).toEqual({
        job: def.name,
        unique: names.length,
      });
    }
  });

  it('should point each job at a boolean switch and a cron variable the environment declares', () => {
    for (const def of JOB_DEFINITIONS) {
      expect([def.switchVariable, typeof defaults[def.switchVariable]]).toEqual([
        def.switchVariable,
        'boolean',
      ]);
      expect([def.cronVariable, typeof defaults[def.cronVariable]]).toEqual([
        def.cronVariable,
        'string',
      ]);
    }
  });

  it('should read each job switch and schedule from the variables its definition names', () => {
    const config = AppConfig.fromEnv({
      RETENTION_JOB_ENABLED: 'false',
      AUDIT_PRUNE_JOB_CRON: '0 15 * * * *',
    });
    expect(config.jobs.enabled).toEqual({
      hourly: true,
      'daily-correlation': true,
      retention: false,
      'audit-prune': true,
    });
    expect(config.jobs.cron['audit-prune']).toBe('0 15 * * * *');
    expect(config.jobs.cron.hourly).toBe(defaults.HOURLY_JOB_CRON);
    expect(jobDefinition('daily-correlation').cronVariable).toBe('DAILY_JOB_CRON');
  });

  it('should list the steps in run order: data before the analytics that read it', () => {
    expect(stepNames('hourly')).toEqual(['sync', 'metrics', 'alerts']);
    expect(stepNames('daily-correlation')).toEqual(['correlation', 'best-pairs', 'alerts']);
    expect(stepNames('retention')).toEqual(['partitions', 'data', 'audit', 'alerts']);
  });

  it('should describe a job by its steps, in order', () => {
    expect(jobDescription('hourly')).toBe(
      'Sync the latest candles from the provider, then compute volatility metrics, then evaluate the indicator alert rules on the new metrics',
    );
    expect(jobDescription('daily-correlation')).toBe(
      "Compute the correlation matrix for every window, then rank today's best pairs, then evaluate the correlation alert rules",
    );
  });

  it('should accept only scheduled job names as jobs, and log the backfill too', () => {
    expect(isJobName('hourly')).toBe(true);
    expect(isJobName('backfill')).toBe(false);
    expect(isJobName('toString')).toBe(false);
    expect(LOGGED_JOB_NAMES).toEqual([...JOB_NAMES, 'backfill']);
  });
});
