import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class OhlcDto {
  @ApiProperty({ example: 1.08512 }) o!: number;
  @ApiProperty({ example: 1.08644 }) h!: number;
  @ApiProperty({ example: 1.08471 }) l!: number;
  @ApiProperty({ example: 1.08597 }) c!: number;
}

export class CandleDto {
  @ApiProperty({
    description: 'Candle open time, ISO-8601 UTC',
    example: '2026-03-04T10:00:00.000Z',
  })
  time!: string;
  @ApiProperty({ description: 'Tick volume', example: 1834 })
  volume!: number;
  @ApiProperty({ description: 'false while the candle is still forming', example: true })
  complete!: boolean;
  @ApiPropertyOptional({ type: OhlcDto, description: 'Present when price includes M' })
  mid?: OhlcDto;
  @ApiPropertyOptional({ type: OhlcDto, description: 'Present when price includes B' })
  bid?: OhlcDto;
  @ApiPropertyOptional({ type: OhlcDto, description: 'Present when price includes A' })
  ask?: OhlcDto;
}

export class CandlesResponseDto {
  @ApiProperty({ example: 'EUR_USD' }) instrument!: string;
  @ApiProperty({ example: 'H1' }) granularity!: string;
  @ApiProperty({ description: 'Components returned (OANDA letters)', example: 'M' })
  price!: string;
  @ApiProperty({ description: 'Candles in this page', example: 2 }) count!: number;
  @ApiProperty({
    type: [CandleDto],
    description:
      'Ascending by time. Prices are JSON numbers converted from the exact stored decimals ' +
      '(exact for FX quotes); format=csv returns the stored decimal text unchanged.',
  })
  candles!: CandleDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as cursor for the next page; null on the last page',
    example: 'djE6MTc3MjYyMjAwMDAwMA',
  })
  next_cursor!: string | null;
}

export const CANDLES_EXAMPLE: CandlesResponseDto = {
  instrument: 'EUR_USD',
  granularity: 'H1',
  price: 'M',
  count: 2,
  candles: [
    {
      time: '2026-03-04T10:00:00.000Z',
      volume: 1834,
      complete: true,
      mid: { o: 1.08512, h: 1.08644, l: 1.08471, c: 1.08597 },
    },
    {
      time: '2026-03-04T11:00:00.000Z',
      volume: 1652,
      complete: true,
      mid: { o: 1.08597, h: 1.08611, l: 1.08502, c: 1.08533 },
    },
  ],
  next_cursor: 'djE6MTc3MjYyMjAwMDAwMA',
};
