import { BadRequestException } from '@nestjs/common';
import { parseIsoTime } from './input-rules';

/**
 * A query DTO's time string as a Date. The DTO already applied the rule
 * (`@QueryIsoTime`); a service converting with this still answers 400 naming
 * the field, never 500, should a caller reach it without the DTO.
 */
export function isoTimeParam(text: string | undefined, field: string): Date | undefined {
  if (text === undefined) return undefined;
  const parsed = parseIsoTime(text);
  if (!parsed.ok) throw new BadRequestException(`${field} ${parsed.reason}`);
  return parsed.value;
}
