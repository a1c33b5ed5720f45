import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { QueryInt } from '../../platform/validation';

export class AlertEventsQuery {
  @ApiPropertyOptional({ example: 50, description: '1 to 500 (default 50), newest first' })
  @IsOptional()
  @QueryInt({ min: 1, max: 500 })
  limit?: number;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200, {
    message: 'cursor is invalid: pass the next_cursor value of a previous response unchanged',
  })
  cursor?: string;
}
