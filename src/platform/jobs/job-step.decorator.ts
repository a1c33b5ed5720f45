import { DiscoveryService } from '@nestjs/core';

/** Marker the registry discovers; use `JobStep` below. */
export const JobStepMarker = DiscoveryService.createDecorator<{ job: string; step: string }>();

/**
 * Marks a provider method as the code of step `step` of job `job`. The method
 * takes a StepContext and returns a JobOutcome; where the step runs in its job
 * is set by the job definitions (src/platform/config/job-definitions.ts), not here.
 */
export function JobStep(job: string, step: string): MethodDecorator {
  return JobStepMarker({ job, step });
}
