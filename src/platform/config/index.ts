/** The public surface of platform/config: other folders import only what is exported here. */
export { AppConfig, JOB_NAMES } from './app-config';
export type { JobName } from './app-config';
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
