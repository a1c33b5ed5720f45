/** The public surface of platform/validation: other folders import only what is exported here. */
export { HttpErrorFilter } from './http-error.filter';
export { isoTimeParam } from './http-input';
export {
  parseCalendarDate,
  parseCalendarDay,
  parseEnum,
  parseIsoTime,
  parseStrictInt,
  quoted,
} from './input-rules';
export type { Parsed } from './input-rules';
export { NoQuery } from './no-query';
export { QueryCalendarDate, QueryEnum, QueryInt, QueryIsoTime } from './query-decorators';
export { StrictValidationPipe } from './strict-validation.pipe';
