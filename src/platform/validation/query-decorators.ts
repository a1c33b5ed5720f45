import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationArguments } from 'class-validator';
import {
  type IntRange,
  parseCalendarDate,
  parseEnum,
  parseIsoTime,
  parseStrictInt,
  type Parsed,
} from './input-rules';

/**
 * class-validator decorators for query DTOs, each one rule of
 * `input-rules.ts`, so a DTO never re-invents what an integer or a date is.
 * The message is "<field> <reason>", computed from the raw value.
 */
function ruleDecorator(name: string, parse: (raw: unknown) => Parsed<unknown>): PropertyDecorator {
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown) => parse(value).ok,
      defaultMessage: (args?: ValidationArguments) => {
        const result = parse(args?.value);
        return `${args?.property ?? 'value'} ${result.ok ? 'is invalid' : result.reason}`;
      },
    },
  });
}

/**
 * An integer query parameter: the string is converted only when it passes
 * the strict rule, otherwise it stays a string and the validator names it.
 */
export function QueryInt(range: IntRange): PropertyDecorator {
  const transform = Transform(({ value }: { value: unknown }) => {
    const parsed = parseStrictInt(value, range);
    return parsed.ok ? parsed.value : value;
  });
  const validate = ruleDecorator('queryInt', (value) =>
    typeof value === 'number' &&
    Number.isSafeInteger(value) &&
    value >= range.min &&
    value <= range.max
      ? { ok: true, value }
      : parseStrictInt(value, range),
  );
  return (target, key) => {
    transform(target, key);
    validate(target, key);
  };
}

/** `YYYY-MM-DD`, a day that exists (stays a string). */
export function QueryCalendarDate(): PropertyDecorator {
  return ruleDecorator('queryCalendarDate', parseCalendarDate);
}

/** An ISO-8601 instant with a zone, or a bare date (stays a string; parse with `parseIsoTime`). */
export function QueryIsoTime(): PropertyDecorator {
  return ruleDecorator('queryIsoTime', parseIsoTime);
}

/** One of a fixed list of words. */
export function QueryEnum(values: readonly string[]): PropertyDecorator {
  return ruleDecorator('queryEnum', (value) => parseEnum(value, values));
}
