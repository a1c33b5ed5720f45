import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { INSTRUMENT_PATTERN } from '../../platform/config';

/** No case folding or trimming: the same naming rule as every other route (`eur_usd` is 400). */
export class CurrentPriceQuery {
  @ApiProperty({
    example: 'EUR_USD',
    description: 'A tracked instrument, OANDA style (BASE_QUOTE, upper case)',
  })
  @IsString({ message: 'instrument must be a string like EUR_USD' })
  @Matches(INSTRUMENT_PATTERN, {
    message: 'instrument must be an OANDA instrument name in upper case such as EUR_USD',
  })
  instrument!: string;
}
