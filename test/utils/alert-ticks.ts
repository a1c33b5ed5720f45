import type { INestApplication } from '@nestjs/common';
import { PriceAlertEvaluator } from '../../src/alerts';
import { PriceTickHooks } from '../../src/prices/price-tick-hooks';

/**
 * Drives the price-rule side of the stream leader the way the live stream
 * does (through PriceTickHooks), with prices the test chooses.
 */
export class TickDriver {
  constructor(private readonly app: INestApplication) {}

  private get evaluator(): PriceAlertEvaluator {
    return this.app.get(PriceAlertEvaluator);
  }

  /** Becomes "leader" for alerts and waits until the rules are loaded. */
  async lead(): Promise<void> {
    this.app.get(PriceTickHooks).leading();
    await this.evaluator.refresh();
  }

  /** Picks up rule changes now (as the leader does every ALERT_RULES_REFRESH_MS). */
  refresh(): Promise<void> {
    return this.evaluator.refresh();
  }

  /** One mid price (bid/ask a pip around it) at `time`; resolves once what it changed is stored. */
  async tick(instrument: string, mid: number, time = new Date()): Promise<void> {
    this.app.get(PriceTickHooks).tick({
      instrument,
      time,
      bid: String(mid - 0.00005),
      ask: String(mid + 0.00005),
      mid: String(mid),
    });
    await this.evaluator.flush();
  }

  stepDown(): Promise<void> {
    return this.app.get(PriceTickHooks).stepDown();
  }
}
