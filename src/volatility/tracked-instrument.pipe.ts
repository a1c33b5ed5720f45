import { BadRequestException, Injectable, NotFoundException, PipeTransform } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { INSTRUMENT_PATTERN } from '../config/instruments';

/**
 * Validates an instrument path parameter: 400 when it is not an OANDA name
 * like EUR_USD (case-insensitive: eur_usd is accepted), 404 when it is well
 * formed but not tracked by this instance.
 */
@Injectable()
export class TrackedInstrumentPipe implements PipeTransform<unknown, string> {
  constructor(private readonly config: AppConfig) {}

  transform(value: unknown): string {
    const instrument = typeof value === 'string' ? value.trim().toUpperCase() : '';
    if (!INSTRUMENT_PATTERN.test(instrument)) {
      throw new BadRequestException(
        `instrument must look like EUR_USD (three letters, underscore, three letters), got "${String(value)}"`,
      );
    }
    if (!this.config.isTracked(instrument)) {
      throw new NotFoundException(`instrument ${instrument} is not tracked by this service`);
    }
    return instrument;
  }
}
