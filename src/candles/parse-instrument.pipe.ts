import { BadRequestException, Injectable, NotFoundException, PipeTransform } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { INSTRUMENT_PATTERN } from '../config/instruments';

/** Path parameter `instrument`: 400 when malformed, 404 when well-formed but not tracked. */
@Injectable()
export class ParseInstrumentPipe implements PipeTransform<string, string> {
  constructor(private readonly config: AppConfig) {}

  transform(value: string): string {
    if (!INSTRUMENT_PATTERN.test(value))
      throw new BadRequestException(
        `instrument must be an OANDA instrument name such as EUR_USD, got "${value.slice(0, 32)}"`,
      );
    if (!this.config.isTracked(value))
      throw new NotFoundException(`instrument ${value} is not tracked`);
    return value;
  }
}
