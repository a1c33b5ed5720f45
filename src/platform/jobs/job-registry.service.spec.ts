import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { JOB_PLANS, JobPlan, JobRegistry, JobStepsMismatchError } from './job-registry.service';
import { JobStep } from './job-step.decorator';
import type { JobContext, JobOutcome } from './job.types';

const PLANS: JobPlan[] = [
  { name: 'nightly', steps: [{ name: 'fetch' }, { name: 'compute' }, { name: 'publish' }] },
  { name: 'weekly', steps: [{ name: 'purge' }] },
];

const ok = (records: number) => async (): Promise<JobOutcome> => ({ recordsProcessed: records });
const ctx = (): JobContext => ({
  name: 'nightly',
  signal: new AbortController().signal,
  startedAt: new Date(),
});

describe(JobRegistry.name, () => {
  describe('registered by hand', () => {
    it('should run steps in the order the plan lists them, not the order they were registered', async () => {
      const registry = new JobRegistry(PLANS);
      const ran: string[] = [];
      const step = (name: string) => async (): Promise<JobOutcome> => {
        ran.push(name);
        return { recordsProcessed: 1 };
      };
      registry.register('nightly', 'publish', step('publish'));
      registry.register('nightly', 'fetch', step('fetch'));
      registry.register('nightly', 'compute', step('compute'));

      expect(registry.steps('nightly').map((s) => [s.name, s.position])).toEqual([
        ['fetch', 1],
        ['compute', 2],
        ['publish', 3],
      ]);
      const outcome = await registry.runSteps('nightly', ctx());
      expect(ran).toEqual(['fetch', 'compute', 'publish']);
      expect(outcome).toMatchObject({ status: 'success', recordsProcessed: 3 });
    });

    it('should refuse a step its job does not plan, naming the planned ones', () => {
      const registry = new JobRegistry(PLANS);
      expect(() => registry.register('nightly', 'fetchh', ok(0), 'Steps.fetch')).toThrow(
        /Steps\.fetch: @JobStep\('nightly', 'fetchh'\) is not a step of job nightly .*\(its steps: fetch, compute, publish\)/,
      );
      expect(() => registry.register('hourly', 'fetch', ok(0))).toThrow(
        /names no job in the job definitions/,
      );
    });

    it('should refuse the same step twice, naming both', () => {
      const registry = new JobRegistry(PLANS);
      registry.register('weekly', 'purge', ok(0), 'A.purge');
      expect(() => registry.register('weekly', 'purge', ok(0), 'B.purge')).toThrow(
        'step weekly/purge has code twice: A.purge and B.purge',
      );
    });

    it('should list every planned step that has no code', () => {
      const registry = new JobRegistry(PLANS);
      registry.register('nightly', 'fetch', ok(0));
      registry.register('weekly', 'purge', ok(0));
      expect(registry.missing()).toEqual([
        "step nightly/compute is in the job definitions but no provider has @JobStep('nightly', 'compute')",
        "step nightly/publish is in the job definitions but no provider has @JobStep('nightly', 'publish')",
      ]);
      expect(() => registry.onModuleInit()).toThrow(JobStepsMismatchError);
    });

    it('should hand each step the outcomes of the steps before it', async () => {
      const registry = new JobRegistry([
        { name: 'nightly', steps: [{ name: 'a' }, { name: 'b' }] },
      ]);
      registry.register('nightly', 'a', async () => ({
        status: 'failed',
        recordsProcessed: 0,
        errorMessage: 'boom',
      }));
      let sawA: JobOutcome | undefined;
      registry.register('nightly', 'b', async (c) => {
        sawA = c.previous['a'];
        return { recordsProcessed: 2 };
      });
      const outcome = await registry.runSteps('nightly', ctx());
      expect(sawA).toMatchObject({ status: 'failed' });
      expect(outcome).toMatchObject({
        status: 'partial',
        recordsProcessed: 2,
        errorMessage: 'a: boom',
      });
    });
  });

  describe('found at boot (@JobStep on providers)', () => {
    @Injectable()
    class NightlySteps {
      calls: string[] = [];
      @JobStep('nightly', 'compute')
      async compute(): Promise<JobOutcome> {
        this.calls.push('compute');
        return { recordsProcessed: 5 };
      }
      @JobStep('nightly', 'fetch')
      async fetch(): Promise<JobOutcome> {
        this.calls.push('fetch');
        return { recordsProcessed: 1 };
      }
    }
    @Injectable()
    class OtherSteps {
      @JobStep('nightly', 'publish')
      async publish(): Promise<JobOutcome> {
        return { recordsProcessed: 0 };
      }
      @JobStep('weekly', 'purge')
      async purge(): Promise<JobOutcome> {
        return { recordsProcessed: 0 };
      }
    }
    @Injectable()
    class StraySteps {
      @JobStep('weekly', 'vacuum')
      async vacuum(): Promise<JobOutcome> {
        return { recordsProcessed: 0 };
      }
    }

    const boot = async (providers: Array<new (...args: never[]) => object>) => {
      const moduleRef = await Test.createTestingModule({
        imports: [DiscoveryModule],
        providers: [JobRegistry, { provide: JOB_PLANS, useValue: PLANS }, ...providers],
      }).compile();
      await moduleRef.init();
      return moduleRef;
    };

    it('should wire every marked method and run them in plan order', async () => {
      const moduleRef = await boot([NightlySteps, OtherSteps]);
      const registry = moduleRef.get(JobRegistry);
      expect(registry.steps('nightly').map((s) => [s.name, s.source])).toEqual([
        ['fetch', 'NightlySteps.fetch'],
        ['compute', 'NightlySteps.compute'],
        ['publish', 'OtherSteps.publish'],
      ]);
      const outcome = await registry.runSteps('nightly', ctx());
      expect(moduleRef.get(NightlySteps).calls).toEqual(['fetch', 'compute']);
      expect(outcome.recordsProcessed).toBe(6);
      await moduleRef.close();
    });

    it('should fail the boot when a planned step has no method', async () => {
      await expect(boot([NightlySteps])).rejects.toThrow(
        /step nightly\/publish is in the job definitions but no provider has @JobStep\('nightly', 'publish'\)[\s\S]*step weekly\/purge/,
      );
    });

    it('should fail the boot when a method names a step that is not planned', async () => {
      await expect(boot([NightlySteps, OtherSteps, StraySteps])).rejects.toThrow(
        /StraySteps\.vacuum: @JobStep\('weekly', 'vacuum'\) is not a step of job weekly/,
      );
    });
  });
});
