/** The public surface of platform/config: other folders import only what is exported here. */
export { AppConfig } from './app-config';
export {
  isJobName,
  JOB_DEFINITIONS,
  JOB_NAMES,
  jobDescription,
  LOGGED_JOB_NAMES,
  stepNames,
} from './job-definitions';
export type { JobName, ScheduledJobDefinition, StepDefinition } from './job-definitions';
export { PROVIDER_CONFIGS, PROVIDER_NAMES } from './market-data-providers';
export type { ProviderName } from './market-data-providers';
export { AppConfigModule } from './config.module';
export { InvalidEnvironmentError } from './env.validation';
export type { RawEnv } from './env.validation';
export {
  INSTRUMENT_CATALOGUE,
  INSTRUMENT_PATTERN,
  InstrumentListError,
  instrumentSpec,
  parseInstrumentList,
} from './instruments';
export { TrackedInstrumentPipe } from './tracked-instrument.pipe';
