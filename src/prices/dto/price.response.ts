import { ApiProperty } from '@nestjs/swagger';

export class PriceResponseDto {
  @ApiProperty({ example: 'EUR_USD' })
  instrument!: string;
  @ApiProperty({ example: 1.08512 })
  bid!: number;
  @ApiProperty({ example: 1.08522 })
  ask!: number;
  @ApiProperty({ example: 1.08517 })
  mid!: number;
  @ApiProperty({ example: 0.0001, description: 'ask - bid, in price units' })
  spread!: number;
  @ApiProperty({
    example: '2026-11-21T10:00:00.250Z',
    description: 'When the quote was current (UTC)',
  })
  time!: string;
  @ApiProperty({
    enum: ['stream', 'candle'],
    example: 'stream',
    description:
      '"stream": last live tick; "candle": close of the last stored H1 candle (no live tick cached)',
  })
  source!: 'stream' | 'candle';
}

export class AllPricesResponseDto {
  @ApiProperty({ type: [PriceResponseDto] })
  prices!: PriceResponseDto[];
  @ApiProperty({ example: 20 })
  count!: number;
  @ApiProperty({ example: '2026-11-21T10:00:00.300Z' })
  timestamp!: string;
}
