import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches } from 'class-validator';
import { INSTRUMENT_PATTERN } from '../../config/instruments';

export class CurrentPriceQuery {
  @ApiProperty({
    example: 'EUR_USD',
    description: 'A tracked instrument, OANDA style (BASE_QUOTE)',
  })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toUpperCase() : value,
  )
  @IsString({ message: 'instrument must be a string like EUR_USD' })
  @Matches(INSTRUMENT_PATTERN, { message: 'instrument must look like EUR_USD' })
  instrument!: string;
}
