import { BadRequestException } from '@nestjs/common';
import { AppConfig } from '../platform/config';

/** The requested window, or the first configured one; 400 naming `window` for anything else. */
export function resolveWindow(config: AppConfig, window: number | undefined): number {
  const windows = config.analytics.correlationWindows;
  if (window === undefined) return windows[0];
  if (!windows.includes(window)) {
    throw new BadRequestException(`window must be one of ${windows.join(', ')}`);
  }
  return window;
}
