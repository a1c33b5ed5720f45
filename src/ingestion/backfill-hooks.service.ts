import { Injectable } from '@nestjs/common';

export interface BackfillHookParams {
  instruments: readonly string[];
  granularity: string;
  signal: AbortSignal;
}

export interface BackfillHook {
  name: string;
  run(params: BackfillHookParams): Promise<{ recordsProcessed: number }>;
}

/**
 * Work other modules want done after a backfill (`backfill --with-metrics`
 * rebuilds indicators). Modules that depend on candles register here, so
 * candles never imports them and no import cycle appears.
 */
@Injectable()
export class BackfillHooks {
  private readonly hooks: BackfillHook[] = [];

  register(hook: BackfillHook): void {
    if (this.hooks.some((h) => h.name === hook.name))
      throw new Error(`backfill hook ${hook.name} registered twice`);
    this.hooks.push(hook);
  }

  list(): readonly BackfillHook[] {
    return this.hooks;
  }
}
