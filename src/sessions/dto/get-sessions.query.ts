import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsISO8601, IsOptional, Matches } from 'class-validator';

/** Query strings arrive as strings; only the literal words count as booleans, anything else fails validation. */
const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

// A date-time without an offset would be read in the server's local zone; require Z or +hh:mm.
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export class GetSessionsQuery {
  @ApiPropertyOptional({
    description:
      'Instant to evaluate (ISO-8601 with Z or an offset; a bare date means 00:00 UTC). Default: now.',
    example: '2026-03-09T12:30:00Z',
  })
  @IsOptional()
  @Matches(ISO_WITH_ZONE, {
    message: 'at must be an ISO-8601 date-time with a zone, like 2026-03-09T12:30:00Z',
  })
  @IsISO8601({ strict: true }, { message: 'at is not a valid calendar date-time' })
  at?: string;

  @ApiPropertyOptional({
    description:
      "true: use each session's local hours in its IANA time zone (follows daylight saving); " +
      'false (default): the fixed UTC hours of the sessions table',
    example: true,
    type: Boolean,
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'dst_aware must be true or false' })
  dst_aware?: boolean;
}
