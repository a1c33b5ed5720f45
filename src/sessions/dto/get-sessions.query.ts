import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { QueryIsoTime } from '../../platform/validation';

/** Query strings arrive as strings; only the literal words count as booleans, anything else fails validation. */
const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class GetSessionsQuery {
  @ApiPropertyOptional({
    description:
      'Instant to evaluate (ISO-8601 with Z or an offset; a bare date means 00:00 UTC). Default: now.',
    example: '2026-03-09T12:30:00Z',
  })
  @IsOptional()
  @QueryIsoTime()
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
