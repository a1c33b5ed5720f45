import { ApiProperty } from '@nestjs/swagger';

export class SessionStateDto {
  @ApiProperty({ example: 'London' })
  name!: string;
  @ApiProperty({ example: 'European session centred on London' })
  description!: string;
  @ApiProperty({ example: 'Europe/London', description: 'IANA zone of the financial centre' })
  timezone!: string;
  @ApiProperty({ example: '08:00', description: 'Opening hour in UTC from the sessions table' })
  open_utc!: string;
  @ApiProperty({ example: '16:00' })
  close_utc!: string;
  @ApiProperty({ example: '08:00', description: 'Opening hour in the local time zone' })
  local_open!: string;
  @ApiProperty({ example: '16:00' })
  local_close!: string;
  @ApiProperty({
    example: '07:00',
    description:
      'UTC opening hour actually used for the current (or next) session: equals open_utc unless dst_aware shifts it',
  })
  effective_open_utc!: string;
  @ApiProperty({ example: '15:00' })
  effective_close_utc!: string;
  @ApiProperty({ example: true })
  is_open!: boolean;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: null,
    description: 'Seconds until it opens; null while open',
  })
  opens_in_seconds!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 9000,
    description: 'Seconds until it closes; null while closed',
  })
  closes_in_seconds!: number | null;
  @ApiProperty({
    example: '2026-07-02T07:00:00.000Z',
    description: 'Next opening after `at` (the following session when open now)',
  })
  next_open!: string;
  @ApiProperty({
    example: '2026-07-01T15:00:00.000Z',
    description: 'End of the current session when open, otherwise of the next one',
  })
  next_close!: string;
}

export class OverlapDto {
  @ApiProperty({ example: 'London/NewYork' })
  name!: string;
  @ApiProperty({ example: ['London', 'NewYork'], type: [String] })
  sessions!: string[];
  @ApiProperty({ example: '2026-07-01T12:00:00.000Z' })
  start!: string;
  @ApiProperty({ example: '2026-07-01T15:00:00.000Z' })
  end!: string;
  @ApiProperty({
    example: 1800,
    description: 'Seconds from `at` to the start (negative once it began)',
  })
  starts_in_seconds!: number;
  @ApiProperty({ example: 12600, description: 'Seconds from `at` to the end' })
  ends_in_seconds!: number;
}

export class SessionsResponse {
  @ApiProperty({ example: '2026-07-01T12:30:00.000Z', description: 'The instant evaluated' })
  at!: string;
  @ApiProperty({ example: true })
  dst_aware!: boolean;
  @ApiProperty({ type: [SessionStateDto] })
  sessions!: SessionStateDto[];
  @ApiProperty({ example: ['London', 'NewYork'], type: [String] })
  open_sessions!: string[];
  @ApiProperty({ type: [OverlapDto], description: 'Overlaps in progress at `at`' })
  overlaps!: OverlapDto[];
  @ApiProperty({
    type: [OverlapDto],
    description: 'Next overlap of every pair of sessions that overlap at all, soonest first',
  })
  upcoming_overlaps!: OverlapDto[];
}
