import { BadRequestException, Injectable, NotFoundException, PipeTransform } from '@nestjs/common';
import { AppConfig } from './app-config';
import { INSTRUMENT_PATTERN } from './instruments';
import { quoted } from '../validation';

/**
 * An `instrument` path parameter: 400 when it is not an OANDA name such as
 * EUR_USD (upper case, as OANDA writes it), 404 when well formed but not
 * tracked by this instance. The one rule for every route.
 */
@Injectable()
export class TrackedInstrumentPipe implements PipeTransform<unknown, string> {
  constructor(private readonly config: AppConfig) {}

  transform(value: unknown): string {
    const instrument = typeof value === 'string' ? value : '';
    if (!INSTRUMENT_PATTERN.test(instrument))
      throw new BadRequestException(
        `instrument must be an OANDA instrument name such as EUR_USD, got ${quoted(value)}`,
      );
    if (!this.config.isTracked(instrument))
      throw new NotFoundException(`instrument ${instrument} is not tracked`);
    return instrument;
  }
}
