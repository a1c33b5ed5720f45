import { Injectable, Logger } from '@nestjs/common';
import type { PriceTick } from '../market-data';

/**
 * What another feature does with the leader's live ticks (alerts evaluate
 * their price rules here). Called only on the stream leader: `leading` when
 * it starts streaming, `tick` for every price (synchronously: it must not
 * wait on I/O), `stepDown` when it stops.
 */
export interface PriceTickHook {
  name: string;
  leading(): void;
  tick(tick: PriceTick): void;
  stepDown(): Promise<void>;
}

/** Where feature modules register their tick hooks (in `onModuleInit`), like JobRegistry and BackfillHooks. */
@Injectable()
export class PriceTickHooks {
  private readonly logger = new Logger(PriceTickHooks.name);
  private readonly hooks: PriceTickHook[] = [];

  register(hook: PriceTickHook): void {
    this.hooks.push(hook);
  }

  leading(): void {
    for (const hook of this.hooks) this.guard(hook, () => hook.leading());
  }

  tick(tick: PriceTick): void {
    for (const hook of this.hooks) this.guard(hook, () => hook.tick(tick));
  }

  async stepDown(): Promise<void> {
    await Promise.allSettled(this.hooks.map((hook) => hook.stepDown()));
  }

  /** A failing hook is logged; it never stops the stream or the other hooks. */
  private guard(hook: PriceTickHook, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.logger.error(`price tick hook ${hook.name} failed: ${(error as Error).message}`);
    }
  }
}
