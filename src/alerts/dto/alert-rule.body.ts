import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  CONDITION_TYPES,
  type ConditionType,
  FREQUENCIES,
  type Frequency,
  PRICE_COMPONENTS,
  type PriceComponent,
} from '../alert-conditions';

const finite = { allowNaN: false, allowInfinity: false };

/** `type` plus the parameters that type takes; which ones are required is checked per type (alert-rule-input.ts). */
export class ConditionBody {
  @ApiProperty({ enum: CONDITION_TYPES, example: 'price_cross_above' })
  @IsIn(CONDITION_TYPES, {
    message: `condition.type must be one of: ${CONDITION_TYPES.join(', ')}`,
  })
  type!: ConditionType;

  @ApiPropertyOptional({
    example: 1.095,
    description: 'Price, RSI, volatility ratio or correlation level',
  })
  @IsOptional()
  @IsNumber(finite, { message: 'condition.level must be a finite number' })
  level?: number;

  @ApiPropertyOptional({
    example: 100,
    description: 'Correlation window (a configured CORRELATION_WINDOWS value)',
  })
  @IsOptional()
  @IsInt({ message: 'condition.window must be an integer' })
  window?: number;

  @ApiPropertyOptional({
    example: 20,
    description: 'SMA period of price_cross_sma: 15, 20, 30 or 50',
  })
  @IsOptional()
  @IsInt({ message: 'condition.period must be an integer' })
  period?: number;

  @ApiPropertyOptional({
    enum: ['upper', 'lower'],
    example: 'upper',
    description: 'bollinger_break',
  })
  @IsOptional()
  @IsIn(['upper', 'lower'], { message: 'condition.band must be upper or lower' })
  band?: 'upper' | 'lower';

  @ApiPropertyOptional({
    example: 0.5,
    description: 'change_pct: a rise of at least this (>0) or a fall (<0), in percent',
  })
  @IsOptional()
  @IsNumber(finite, { message: 'condition.percent must be a finite number' })
  percent?: number;

  @ApiPropertyOptional({ example: 4, description: 'change_pct: over this many hours (1 to 720)' })
  @IsOptional()
  @IsInt({ message: 'condition.hours must be an integer' })
  hours?: number;
}

/** Fields a PATCH may change (all optional); POST requires `condition` and an instrument. */
export class UpdateAlertRuleBody {
  @ApiPropertyOptional({
    example: 'EUR_USD',
    description: 'The instrument (not for correlation rules)',
  })
  @IsOptional()
  @IsString({ message: 'instrument must be a string' })
  @MaxLength(16, { message: 'instrument must be at most 16 characters' })
  instrument?: string;

  @ApiPropertyOptional({
    example: ['EUR_USD', 'USD_CHF'],
    description: 'The two instruments of a correlation rule',
  })
  @IsOptional()
  @IsArray({ message: 'instruments must be an array of two instrument names' })
  @ArrayMinSize(2, { message: 'instruments must name exactly two instruments' })
  @ArrayMaxSize(2, { message: 'instruments must name exactly two instruments' })
  @IsString({ each: true, message: 'instruments must contain strings' })
  @MaxLength(16, { each: true, message: 'instruments entries must be at most 16 characters' })
  instruments?: string[];

  @ApiPropertyOptional({ type: ConditionBody })
  @IsOptional()
  @IsObject({
    message: 'condition must be an object like {"type": "price_cross_above", "level": 1.095}',
  })
  @ValidateNested()
  @Type(() => ConditionBody)
  condition?: ConditionBody;

  @ApiPropertyOptional({
    enum: PRICE_COMPONENTS,
    example: 'mid',
    description: 'Price component of price rules (default mid)',
  })
  @IsOptional()
  @IsIn(PRICE_COMPONENTS, { message: 'price must be one of: bid, ask, mid' })
  price?: PriceComponent;

  @ApiPropertyOptional({
    enum: FREQUENCIES,
    example: 'once_per_bar',
    description: 'Default once_per_bar',
  })
  @IsOptional()
  @IsIn(FREQUENCIES, { message: `frequency must be one of: ${FREQUENCIES.join(', ')}` })
  frequency?: Frequency;

  @ApiPropertyOptional({
    example: 0,
    description: 'every_time: seconds before the rule may fire again (0 to 604800)',
  })
  @IsOptional()
  @IsInt({ message: 'cooldown_seconds must be an integer' })
  @Min(0, { message: 'cooldown_seconds must be at least 0' })
  @Max(604_800, { message: 'cooldown_seconds must be at most 604800 (a week)' })
  cooldown_seconds?: number;

  @ApiPropertyOptional({
    example: 0.0001,
    description:
      'How far back past the level the value must go before the rule re-arms (default: one pip for prices, 0.02 for correlation, 0 otherwise)',
  })
  @IsOptional()
  @IsNumber(finite, { message: 'hysteresis must be a finite number' })
  @Min(0, { message: 'hysteresis must be at least 0' })
  hysteresis?: number;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '2026-12-31T00:00:00Z',
    description: 'After this the rule is silent',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString({ message: 'expires_at must be an ISO-8601 date-time or null' })
  expires_at?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'https://example.com/hooks/fx',
    description: 'POSTed (signed) on every firing',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString({ message: 'webhook_url must be a URL or null' })
  @MaxLength(2048, { message: 'webhook_url must be at most 2048 characters' })
  webhook_url?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '{{instrument}} crossed {{level}} ({{value}})',
    description: 'Message template: {{instrument}}, {{value}}, {{condition}}, {{level}}',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString({ message: 'message must be a string or null' })
  @MaxLength(500, { message: 'message must be at most 500 characters' })
  message?: string | null;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

/** POST: as PATCH, plus `condition` and an instrument are required (checked with the other per-type rules). */
export class CreateAlertRuleBody extends UpdateAlertRuleBody {
  @ApiProperty({ type: ConditionBody, example: { type: 'price_cross_above', level: 1.095 } })
  declare condition?: ConditionBody;
}
