import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, Matches } from 'class-validator';

/** Body of `POST /api/v1/jobs/{name}/run`: the CLI's `job run` options. */
export class RunJobBody {
  @ApiPropertyOptional({
    example: '2026-11-20',
    description: 'Compute as of the end of this UTC day (daily-correlation)',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'as_of must be a date like 2026-11-20' })
  as_of?: string;

  @ApiPropertyOptional({
    example: ['EUR_USD', 'GBP_USD'],
    description: 'Restrict the job to these',
  })
  // class-validator runs these bottom-up and the pipe stops at the first failure: the type first.
  @IsOptional()
  @IsString({ each: true, message: 'instruments must be an array of instrument names' })
  @ArrayMaxSize(200, { message: 'instruments may list at most 200 names' })
  @IsArray({ message: 'instruments must be an array of instrument names' })
  instruments?: string[];

  @ApiPropertyOptional({ example: false, description: 'Report what would change without writing' })
  @IsOptional()
  @IsBoolean({ message: 'dry_run must be true or false' })
  dry_run?: boolean;
}

export class JobStartedResponse {
  @ApiProperty({
    example: 1234,
    nullable: true,
    type: Number,
    description:
      'cron_job_log id of the run; follow it in GET /jobs (null for a dry run, which logs nothing)',
  })
  log_id!: number | null;
  @ApiProperty({ example: 'hourly' })
  job!: string;
  @ApiProperty({
    example: 'running',
    description: 'running; for a dry run, its outcome (success, partial or failed)',
  })
  status!: string;
  @ApiProperty({ example: 'key:AbCd1234' })
  triggered_by!: string;
  @ApiPropertyOptional({
    example: true,
    description: 'Present on a dry run, which is done when it answers',
  })
  dry_run?: boolean;
  @ApiPropertyOptional({
    description: 'A dry run: what each step would change',
    type: 'object',
    additionalProperties: true,
    nullable: true,
  })
  details?: Record<string, unknown> | null;
}
