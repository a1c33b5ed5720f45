import { Injectable, OnModuleInit } from '@nestjs/common';
import { PriceTickHooks } from '../prices';
import { PriceAlertEvaluator } from './price-alert.evaluator';

/** Price rules run on the stream leader's ticks (the job steps are in alerts.job-steps.ts). */
@Injectable()
export class AlertRegistrations implements OnModuleInit {
  constructor(
    private readonly ticks: PriceTickHooks,
    private readonly prices: PriceAlertEvaluator,
  ) {}

  onModuleInit(): void {
    this.ticks.register({
      name: 'alerts',
      leading: () => this.prices.leading(),
      tick: (tick) => this.prices.tick(tick),
      stepDown: () => this.prices.stepDown(),
    });
  }
}
